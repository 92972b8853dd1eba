import type { Knex } from 'knex';

/**
 * /metrics counts the deliveries still owed and the age of the oldest at every scrape: a partial index over the
 * PENDING rows only keeps that cheap however many completed deliveries pile up.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw("CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (created_at) WHERE status = 'PENDING'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX webhook_deliveries_pending_idx');
}
