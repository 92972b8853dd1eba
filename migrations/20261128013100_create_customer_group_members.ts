import type { Knex } from 'knex';

/**
 * Who is in which group. Both foreign keys carry the tenant, so a row whose customer or group belongs to another
 * tenant is refused by the database. A customer's deletion takes its memberships with it; a group's deletion
 * (forced, when it has members) takes its own. `id` orders a group's members by when they were added and is the
 * cursor of both listings.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_group_members', (t) => {
    t.bigIncrements('id').primary();
    t.text('tenant_id').notNullable();
    t.text('group_id').notNullable();
    t.text('customer_id').notNullable();
    t.text('added_by').notNullable();
    t.timestamp('added_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.foreign(['tenant_id', 'group_id'], 'customer_group_members_tenant_group_foreign')
      .references(['tenant_id', 'id'])
      .inTable('customer_groups')
      .onDelete('CASCADE');
    t.foreign(['tenant_id', 'customer_id'], 'customer_group_members_tenant_customer_foreign')
      .references(['tenant_id', 'id'])
      .inTable('customers')
      .onDelete('CASCADE');
    // Parallel adds of one member meet here (ON CONFLICT DO NOTHING); also a group's members in added order.
    t.unique(['group_id', 'customer_id'], { indexName: 'customer_group_members_group_customer_unique' });
    t.index(['group_id', 'id'], 'customer_group_members_group_idx');
    // A customer's groups, and the cascade when a customer is deleted.
    t.index(['tenant_id', 'customer_id', 'id'], 'customer_group_members_customer_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customer_group_members');
}
