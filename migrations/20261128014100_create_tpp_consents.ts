import type { Knex } from 'knex';

/**
 * A customer's grant to a TPP: the scopes it may use until `expires_at`. ACTIVE until the customer (or the tenant)
 * revokes it, the TPP is revoked, or its workflow's timer marks it EXPIRED. The authorization check also compares
 * `expires_at` with the database clock, so a late timer never lets an expired grant through.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tpp_consents', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable();
    t.text('customer_id').notNullable();
    t.text('tpp_id').notNullable();
    t.specificType('scopes', 'text[]').notNullable();
    t.text('status').notNullable().defaultTo('ACTIVE');
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('revoked_at', { useTz: true });
    t.text('revoked_by');
    t.timestamp('expired_at', { useTz: true });
    t.foreign(['tenant_id', 'customer_id'], 'tpp_consents_tenant_customer_foreign').references(['tenant_id', 'id']).inTable('customers').onDelete('CASCADE');
    t.foreign(['tenant_id', 'tpp_id'], 'tpp_consents_tenant_tpp_foreign').references(['tenant_id', 'id']).inTable('tpps').onDelete('RESTRICT');
    // A customer's list: newest first, keyset-paged on (created_at, id).
    t.index(['tenant_id', 'customer_id', 'created_at', 'id'], 'tpp_consents_customer_created_idx');
  });
  // Revoking a TPP revokes its live grants: found through this index.
  await knex.raw(`create index tpp_consents_live_by_tpp_idx on tpp_consents (tenant_id, tpp_id) where status = 'ACTIVE'`);
  await knex.raw(`alter table tpp_consents add constraint tpp_consents_status_check check (status in ('ACTIVE', 'REVOKED', 'EXPIRED'))`);
  await knex.raw(`alter table tpp_consents add constraint tpp_consents_scopes_check
    check (cardinality(scopes) > 0 and scopes <@ array['ACCOUNTS_READ', 'BALANCES_READ', 'TRANSACTIONS_READ', 'PAYMENTS_INITIATE', 'FUNDS_CONFIRMATION']::text[])`);
  await knex.raw(`alter table tpp_consents add constraint tpp_consents_revoked_check
    check ((status = 'REVOKED') = (revoked_at is not null and revoked_by is not null))`);
  await knex.raw(`alter table tpp_consents add constraint tpp_consents_expired_check check ((status = 'EXPIRED') = (expired_at is not null))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('tpp_consents');
}
