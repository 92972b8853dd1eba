import type { Knex } from 'knex';

/** /metrics reads the deliveries completed in the last minutes, by outcome: found by completion time, not a scan. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX webhook_deliveries_completed_idx ON webhook_deliveries (completed_at) WHERE completed_at IS NOT NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX webhook_deliveries_completed_idx');
}
