import type { Knex } from 'knex';

/**
 * The third-party providers a tenant has registered (PSD2-style): who they are (the authorisation number their
 * competent authority gave them, unique within the tenant), what they may act as (AISP, PISP, CBPII) and whether
 * they may act at all. REVOKED is final; the service refuses to leave it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tpps', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('authorisation_number').notNullable();
    t.text('competent_authority');
    t.specificType('country', 'char(3)').notNullable();
    t.specificType('roles', 'text[]').notNullable();
    t.text('status').notNullable().defaultTo('ACTIVE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'id']);
    t.unique(['tenant_id', 'authorisation_number'], { indexName: 'tpps_tenant_authorisation_number_unique' });
    // The list: newest first, keyset-paged on (created_at, id).
    t.index(['tenant_id', 'created_at', 'id'], 'tpps_tenant_created_idx');
  });
  await knex.raw(`alter table tpps add constraint tpps_status_check check (status in ('ACTIVE', 'SUSPENDED', 'REVOKED'))`);
  await knex.raw(`alter table tpps add constraint tpps_roles_check
    check (cardinality(roles) > 0 and roles <@ array['AISP', 'PISP', 'CBPII']::text[])`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('tpps');
}
