import type { Knex } from 'knex';

/**
 * The e-mails that tell a tenant its webhook subscription was disabled because it kept failing: one row per
 * disablement, keyed like outbound_emails (activities/send-once.ts), so a retried activity or a restarted delivery
 * workflow sends the alert at most once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_alert_emails', (t) => {
    t.bigIncrements('id').primary();
    t.text('tenant_id').notNullable();
    t.text('subscription_id').notNullable();
    t.text('idempotency_key').notNullable();
    t.text('template').notNullable();
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.foreign(['tenant_id', 'subscription_id']).references(['tenant_id', 'id']).inTable('webhook_subscriptions').onDelete('CASCADE');
    t.unique(['tenant_id', 'idempotency_key'], { indexName: 'webhook_alert_emails_idempotency_unique' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhook_alert_emails');
}
