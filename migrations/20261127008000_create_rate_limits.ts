import type { Knex } from 'knex';

/**
 * Rate-limit counters shared by every API process (api/http/rate-limit-store.ts). The columns are the ones
 * rate-limiter-flexible's PostgreSQL store reads and writes: `key` (`tenant:<id>` or `ip:<kind>:<address>`), the
 * points counted in the current window, and when the window ends (epoch milliseconds). Counters, not tenant data:
 * a row lives for one window and the store deletes rows an hour past their end (the index serves that sweep).
 *
 * UNLOGGED: a count is written on every request, and skipping the write-ahead log makes that write cheap. The price
 * is that a crash of PostgreSQL empties the table and standbys do not have it, so counters restart from zero after
 * a crash or a failover: at most one extra minute's budget, for counters whose whole life is one minute.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create unlogged table rate_limits (
    key varchar(255) primary key,
    points integer not null default 0,
    expire bigint
  )`);
  await knex.raw('create index rate_limits_expire_index on rate_limits (expire)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limits');
}
