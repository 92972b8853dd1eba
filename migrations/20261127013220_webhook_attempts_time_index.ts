import type { Knex } from 'knex';

/** /metrics reads the delivery attempts of the last minutes (result class, latency): found by time, not a scan. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhook_delivery_attempts', (t) => {
    t.index(['attempted_at'], 'webhook_delivery_attempts_time_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhook_delivery_attempts', (t) => {
    t.dropIndex(['attempted_at'], 'webhook_delivery_attempts_time_idx');
  });
}
