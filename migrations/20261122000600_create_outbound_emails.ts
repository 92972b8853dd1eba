import type { Knex } from 'knex';

/** One row per e-mail the workflows ask for, keyed by workflow id + step, so a retried activity sends once. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('outbound_emails', (t) => {
    t.bigIncrements('id').primary();
    t.text('tenant_id').notNullable();
    t.text('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE');
    t.text('idempotency_key').notNullable();
    t.text('template').notNullable();
    t.text('message_id');
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'idempotency_key'], { indexName: 'outbound_emails_idempotency_unique' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('outbound_emails');
}
