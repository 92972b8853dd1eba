import type { Knex } from 'knex';

/** One row per text message the workflows ask for, keyed by workflow id + step, so a retry sends once. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('outbound_sms', (t) => {
    t.bigIncrements('id').primary();
    t.text('tenant_id').notNullable();
    t.text('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE');
    t.text('idempotency_key').notNullable();
    t.text('template').notNullable();
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'idempotency_key'], { indexName: 'outbound_sms_idempotency_unique' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('outbound_sms');
}
