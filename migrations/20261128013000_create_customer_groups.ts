import type { Knex } from 'knex';

/**
 * A tenant's groups of customers. A name is unique within its tenant whatever its letter case, so the database
 * settles two racing creations or renames to one name. (tenant_id, id) is the key members name their group by,
 * so a membership can never join one tenant's customer to another tenant's group.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_groups', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable().references('id').inTable('tenants').onDelete('RESTRICT');
    t.text('name').notNullable();
    t.text('description');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'id'], { indexName: 'customer_groups_tenant_id_id_unique' });
  });
  // Also the order of the list and its prefix search: both read lower(name) within one tenant.
  await knex.raw('CREATE UNIQUE INDEX customer_groups_tenant_name_unique ON customer_groups (tenant_id, lower(name))');
  await knex.raw("ALTER TABLE customer_groups ADD CONSTRAINT customer_groups_name_check CHECK (char_length(name) BETWEEN 1 AND 100 AND name = btrim(name))");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customer_groups');
}
