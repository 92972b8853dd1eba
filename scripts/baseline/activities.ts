/**
 * The baseline's storage: its own database on the stack's PostgreSQL server (never a project migration), one table
 * of registrations, and the one activity that inserts into it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabaseIfMissing } from '../../devstack/databases';
import type { BaselineReceipt, BaselineRegistration } from './contract';

/** Creates `database` beside the stack's (if missing) and the baseline's tables in it; returns a pool on it. */
export async function openBaselineDatabase(serverUrl: string, database: string, poolMax: number): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: await createDatabaseIfMissing(serverUrl, database), max: poolMax });
  await pool.query(`
    CREATE TABLE IF NOT EXISTS registrations (
      id text PRIMARY KEY,
      first_name text NOT NULL,
      last_name text NOT NULL,
      email text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX IF NOT EXISTS registrations_email ON registrations (lower(email));
    CREATE TABLE IF NOT EXISTS payload_key (
      only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
      key bytea NOT NULL
    );`);
  return pool;
}

/**
 * The payload key of the baseline's codec, made on first start and kept in its database: a restarted baseline can
 * still read the histories of the workflows an earlier one left parked. The data are synthetic; the key is not a
 * secret of anything else.
 */
export async function baselinePayloadKey(pool: pg.Pool): Promise<Buffer> {
  await pool.query('INSERT INTO payload_key (key) VALUES ($1) ON CONFLICT DO NOTHING', [randomBytes(32)]);
  const { rows } = await pool.query<{ key: Buffer }>('SELECT key FROM payload_key');
  return rows[0].key;
}

export function createBaselineActivities(pool: pg.Pool) {
  return {
    /** Idempotent by id: an attempt retried after a lost answer finds its own row and answers the same. */
    async insertRegistration(registration: BaselineRegistration): Promise<BaselineReceipt> {
      const { rows } = await pool.query<{ created_at: Date }>(
        `INSERT INTO registrations (id, first_name, last_name, email) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id
         RETURNING created_at`,
        [registration.customerId, registration.firstName, registration.lastName, registration.email],
      );
      return { createdAt: rows[0].created_at.toISOString() };
    },
  };
}

export type BaselineActivities = ReturnType<typeof createBaselineActivities>;
