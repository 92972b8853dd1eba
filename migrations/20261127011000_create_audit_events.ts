import type { Knex } from 'knex';

/**
 * The audit trail: one row per state-changing call, hash-chained in `id` order (each row's `prev_hash` is the
 * previous row's `hash`). Ids are assigned by the appender under an advisory lock (last id + 1), not by a
 * sequence, so they have no gaps and a missing id is a deleted row. Columns are plain text without foreign keys:
 * a row must be appendable whatever it names, and must outlive what it names.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_events', (t) => {
    t.bigInteger('id').primary();
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.text('actor_type').notNullable();
    t.text('actor_id').notNullable();
    t.text('action').notNullable();
    t.text('target_type');
    t.text('target_id');
    t.text('tenant_id');
    t.text('request_id').notNullable();
    t.text('ip');
    t.integer('status').notNullable();
    t.jsonb('changes').notNullable();
    t.text('prev_hash').notNullable();
    t.text('hash').notNullable();
    t.index(['tenant_id', 'id'], 'audit_events_tenant_idx');
    t.index(['actor_type', 'actor_id', 'id'], 'audit_events_actor_idx');
    t.index(['target_type', 'target_id', 'id'], 'audit_events_target_idx');
  });
  await knex.raw(`alter table audit_events add constraint audit_events_hashes_check
    check (prev_hash ~ '^[0-9a-f]{64}$' and hash ~ '^[0-9a-f]{64}$')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_events');
}
