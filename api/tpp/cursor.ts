/**
 * Keyset pages for the TPP and grant lists, newest first: a cursor is the last row's (created_at to the
 * microsecond, id), opaque to clients. Offsets would rescan every skipped row and shift under inserts.
 */
import type { Knex } from '../../common/db';
import { ValidationError } from '../http/errors';
import { z } from '../http/openapi';

const cursorSchema = z.tuple([
  // A real calendar time PostgreSQL can read (it has no year 0): a cursor never reaches the database as a cast error.
  z.iso.datetime({ precision: 6 }).refine((at) => !at.startsWith('0000-')),
  z.string().regex(/^[a-z]+_[0-9a-f]{24}$/),
]);

/** created_at as text to the microsecond (a JS Date keeps milliseconds only), for the next cursor. */
export const createdKey = (db: Knex, column: string) =>
  db.raw(`to_char(?? at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key`, [column]);

export function decodeCursor(cursor: string): [string, string] {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new ValidationError([{ field: 'cursor', message: 'Not a cursor this list gave' }]);
  }
}

/** Rows after the cursor, in the list's order (created_at desc, id desc). */
export function afterCursor(query: Knex.QueryBuilder, cursor: string | undefined, createdColumn: string, idColumn: string): Knex.QueryBuilder {
  if (!cursor) return query;
  const [createdAt, id] = decodeCursor(cursor);
  return query.whereRaw('(??, ??) < (?::timestamptz, ?)', [createdColumn, idColumn, createdAt, id]);
}

/** One page: `limit + 1` rows were read, so a next cursor is given only when another row exists. */
export function pageOf<Row extends { created_key: string; id: string }, View>(rows: Row[], limit: number, view: (row: Row) => View) {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  const next_cursor = rows.length > limit && last ? Buffer.from(JSON.stringify([last.created_key, last.id])).toString('base64url') : null;
  return { data: shown.map(view), next_cursor };
}
