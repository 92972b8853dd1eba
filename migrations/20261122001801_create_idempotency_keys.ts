import type { Knex } from 'knex';

/**
 * Idempotency-Key records (api/http/idempotency-store.ts): one per (scope, credential, key), kept 24 h. `scope` is
 * the tenant id, or `platform` for the platform admin, which acts for no tenant: that is why it carries no
 * foreign key to tenants. Only a digest of the request is kept; the stored answer is encrypted.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('idempotency_keys', (t) => {
    t.text('tenant_id').notNullable();
    t.text('credential_id').notNullable();
    t.text('key').notNullable();
    t.text('fingerprint').notNullable();
    t.text('state').notNullable();
    // Names the request holding an IN_PROGRESS claim, so one that was taken over cannot finish its successor's.
    t.text('claim_token').notNullable();
    t.smallint('response_status');
    t.text('response');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'credential_id', 'key']);
    t.index(['expires_at']);
  });
  await knex.raw(`
    alter table idempotency_keys
      add constraint idempotency_keys_state_check check (state in ('IN_PROGRESS', 'COMPLETED')),
      add constraint idempotency_keys_completed_check
        check (state = 'IN_PROGRESS' or (response_status is not null and response is not null))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('idempotency_keys');
}
