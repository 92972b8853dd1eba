import knex, { type Knex } from 'knex';
import pg from 'pg';

// DATE columns stay 'YYYY-MM-DD' strings: as Date objects they would shift by the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export interface DbTimeouts {
  /** Wait for a pooled connection, and for a new connection's handshake, before giving up (KnexTimeoutError). */
  acquireMs: number;
  /** PostgreSQL statement_timeout: the server cancels any statement that runs longer (SQLSTATE 57014). */
  statementMs: number;
}

/** A database that is down or hung fails a request within these bounds, which the API answers as 503. */
export function createDb(connectionString: string, poolMax = 10, timeouts: DbTimeouts = { acquireMs: 5_000, statementMs: 15_000 }): Knex {
  return knex({
    client: 'pg',
    connection: {
      connectionString,
      connectionTimeoutMillis: timeouts.acquireMs,
      statement_timeout: timeouts.statementMs,
    },
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: timeouts.acquireMs,
  });
}

export function dbTimeoutsFrom(config: { DATABASE_ACQUIRE_TIMEOUT_MS: number; DATABASE_STATEMENT_TIMEOUT_MS: number }): DbTimeouts {
  return { acquireMs: config.DATABASE_ACQUIRE_TIMEOUT_MS, statementMs: config.DATABASE_STATEMENT_TIMEOUT_MS };
}

/** The cheapest round trip: answers when the database accepts connections and runs statements. */
export function pingDatabase(db: Knex): Promise<unknown> {
  return db.raw('select 1');
}

/** PostgreSQL's unique_violation, optionally on one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

export type { Knex };
