import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_status_history', (t) => {
    t.bigIncrements('id').primary();
    t.text('tenant_id').notNullable();
    t.text('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE');
    t.text('status').notNullable();
    t.text('reason');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id', 'customer_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customer_status_history');
}
