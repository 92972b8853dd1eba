import type { Knex } from 'knex';

/**
 * The outbox of tenant-facing events, written in the same transaction as the change each one reports, so an event
 * exists exactly when its change does. `seq` orders events as they occurred (per subject: the customer); `id` is the
 * stable id receivers dedupe on (`webhook-id`). `data` holds ids and states only, never personal data.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_events', (t) => {
    t.bigIncrements('seq').primary();
    t.text('id').notNullable().unique();
    t.text('tenant_id').notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    t.text('type').notNullable();
    t.integer('version').notNullable();
    t.text('subject_id');
    t.jsonb('data').notNullable();
    t.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id', 'seq'], 'webhook_events_tenant_seq_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhook_events');
}
