import type { Knex } from 'knex';

/**
 * Rate-limit counters shared by every API process (api/http/rate-limit-store.ts). The columns are the ones
 * rate-limiter-flexible's PostgreSQL store reads and writes: `key` (`tenant:<id>` or `ip:<route>:<address>`), the
 * points counted in the current window, and when the window ends (epoch milliseconds). Counters, not tenant
 * data: a row lives for one window and the store deletes rows an hour past their end. The index serves that sweep.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rate_limits', (t) => {
    t.string('key', 255).primary();
    t.integer('points').notNullable().defaultTo(0);
    t.bigInteger('expire');
    t.index(['expire'], 'rate_limits_expire_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limits');
}
