import type { Knex } from 'knex';

/**
 * One event owed to one subscription. Created with the event (for every enabled subscription that wants its type),
 * or later by a manual redelivery or a test. PENDING until a 2xx (SUCCEEDED), until the retry window closes
 * (FAILED), or until its subscription is disabled (CANCELLED). Per subscription, a subject's deliveries go out in
 * event order: the delivery workflow never sends one while an earlier one for the same subject is still pending.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.bigIncrements('id').primary();
    t.text('tenant_id').notNullable();
    t.text('subscription_id').notNullable();
    t.bigInteger('event_seq').notNullable().references('seq').inTable('webhook_events').onDelete('CASCADE');
    t.text('subject_id');
    t.text('status').notNullable().defaultTo('PENDING');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('first_attempt_at', { useTz: true });
    t.timestamp('completed_at', { useTz: true });
    t.boolean('manual').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.foreign(['tenant_id', 'subscription_id']).references(['tenant_id', 'id']).inTable('webhook_subscriptions').onDelete('CASCADE');
    t.index(['subscription_id', 'status', 'event_seq'], 'webhook_deliveries_queue_idx');
    t.index(['tenant_id', 'subscription_id', 'id'], 'webhook_deliveries_log_idx');
  });
  await knex.raw(`alter table webhook_deliveries add constraint webhook_deliveries_status_check
    check (status in ('PENDING', 'SUCCEEDED', 'FAILED', 'CANCELLED'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhook_deliveries');
}
