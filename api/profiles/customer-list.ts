/**
 * GET /v2/customer/profiles (seed 001 "GET /profiles"): the tenant's customers, newest first, filtered, in pages
 * read by keyset on (created_at, id) — never OFFSET, so a page costs the same however deep, and customers
 * registering meanwhile neither repeat nor hide rows of later pages (they are newer: they sort before the cursor).
 * Each filter has an index (migrations/20261128010100_customer_list_indexes.ts).
 */
import { createHash } from 'node:crypto';
import type { Knex } from '../../common/db';
import { CUSTOMER_TYPES, type CustomerType } from '../../common/statuses';
import { ValidationError } from '../http/errors';
import { z } from '../http/openapi';
import { pageLimit, subjectId } from '../schemas/params';
import { categoryCode } from './categories';
import { ALL_CUSTOMER_STATUSES } from './view';

/** A time PostgreSQL can read (it has no year 0): a filter never reaches the database as a cast error. */
const instant = z.iso
  .datetime({ offset: true, error: 'Must be an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z' })
  .refine((at) => !at.startsWith('0000-'), 'Must be a year from 0001');

const statusList = z
  .string()
  .transform((value) => value.split(','))
  .pipe(z.array(z.enum(ALL_CUSTOMER_STATUSES, { error: `Must be statuses from: ${ALL_CUSTOMER_STATUSES.join(', ')} (comma-separated)` })).max(ALL_CUSTOMER_STATUSES.length))
  .openapi({ type: 'string', description: 'One status, or several separated by commas', example: 'ACTIVE,SUSPENDED' });

export const customerListQuery = z
  .strictObject({
    status: statusList.optional(),
    customer_type: z.enum(CUSTOMER_TYPES).optional(),
    category: categoryCode.optional(),
    created_from: instant.optional().openapi({ description: 'Created at or after (inclusive)' }),
    created_to: instant.optional().openapi({ description: 'Created at or before (inclusive)' }),
    email: z
      .string()
      .trim()
      .toLowerCase()
      .min(1, 'Must not be empty')
      .max(254, 'Must be at most 254 characters')
      .regex(/^[^\s\p{Cc}]+$/u, 'Must not contain spaces or control characters')
      .optional()
      .openapi({ description: 'The start of the e-mail address, any letter case (a whole address matches itself)', example: 'maria.garcia@' }),
    limit: pageLimit,
    cursor: z.string().max(300, 'Not a cursor this list gave').optional().openapi({ description: 'next_cursor of the previous page' }),
  })
  .refine((q) => q.created_from === undefined || q.created_to === undefined || Date.parse(q.created_from) <= Date.parse(q.created_to), {
    path: ['created_from'],
    error: 'Must not be after created_to',
  });

export type CustomerListQuery = z.output<typeof customerListQuery>;

export const customerSummary = z
  .strictObject({
    customer_id: z.string(),
    customer_type: z.enum(CUSTOMER_TYPES),
    status: z.enum(ALL_CUSTOMER_STATUSES),
    category: z.string().nullable(),
    email: z.string().openapi({ description: "An organization's: its representative's (or its contact address)" }),
    first_name: z.string(),
    last_name: z.string(),
    created_at: z.iso.datetime(),
  })
  .openapi('CustomerSummary');

export const customerListPage = z
  .object({
    data: z.array(customerSummary),
    next_cursor: z.string().nullable().openapi({ description: 'Pass as cursor for the next (older) page; null on the last' }),
  })
  .openapi('CustomerListPage');

export type CustomerListPage = z.output<typeof customerListPage>;

type Filters = Omit<CustomerListQuery, 'limit' | 'cursor'>;

/**
 * A position after the customer created at this time (to the microsecond: a Date keeps milliseconds only) with
 * this id, for this set of filters: a cursor of another query would skip or repeat rows, so it is refused.
 */
const cursorSchema = z.tuple([z.iso.datetime({ precision: 6 }).refine((at) => !at.startsWith('0000-')), subjectId, z.string()]);

/** The filters a cursor was made for, as a short digest (the filters as given: the order of a status list counts). */
const fingerprint = (filters: Filters): string =>
  createHash('sha256')
    .update(JSON.stringify([filters.status ?? null, filters.customer_type ?? null, filters.category ?? null, filters.created_from ?? null, filters.created_to ?? null, filters.email ?? null]))
    .digest('base64url')
    .slice(0, 16);

const encodeCursor = (at: string, id: string, filters: Filters): string => Buffer.from(JSON.stringify([at, id, fingerprint(filters)])).toString('base64url');

function decodeCursor(cursor: string, filters: Filters): [string, string] {
  const invalid = () => new ValidationError([{ field: 'cursor', message: 'Not a cursor this list gave for these filters' }]);
  let at: string, id: string, made: string;
  try {
    [at, id, made] = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalid();
  }
  if (made !== fingerprint(filters)) throw invalid();
  return [at, id];
}

/** `%`, `_` and `\` in a searched prefix are the characters themselves, not LIKE wildcards. */
const likePrefix = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

interface SummaryRow {
  id: string;
  type: CustomerType;
  status: string;
  category: string | null;
  email: string;
  first_name: string;
  last_name: string;
  created_at: Date;
  /** created_at to the microsecond, for the cursor. */
  created_key: string;
}

/** The page's query (exported for the index check in the tests: EXPLAIN of exactly what runs). */
export function customerListSql(db: Knex, tenantId: string, query: CustomerListQuery): Knex.QueryBuilder {
  const { limit, cursor, ...filters } = query;
  const rows = db('customers')
    .where({ tenant_id: tenantId })
    .select('id', 'type', 'status', 'category', 'email', 'first_name', 'last_name', 'created_at',
      db.raw(`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key`))
    .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .limit(limit + 1);
  if (filters.status) rows.whereIn('status', filters.status);
  if (filters.customer_type) rows.where('type', filters.customer_type);
  if (filters.category) rows.where('category', filters.category);
  if (filters.created_from) rows.where('created_at', '>=', filters.created_from);
  if (filters.created_to) rows.where('created_at', '<=', filters.created_to);
  if (filters.email) rows.whereRaw('lower(email) like ?', [likePrefix(filters.email)]); // backslash: LIKE's default escape
  if (cursor) rows.whereRaw('(created_at, id) < (?::timestamptz, ?)', decodeCursor(cursor, filters));
  return rows;
}

export async function listCustomers(db: Knex, tenantId: string, query: CustomerListQuery): Promise<CustomerListPage> {
  const { limit, cursor: _cursor, ...filters } = query;
  const found: SummaryRow[] = await customerListSql(db, tenantId, query);
  const page = found.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map((row) => ({
      customer_id: row.id,
      customer_type: row.type,
      status: row.status,
      category: row.category,
      email: row.email,
      first_name: row.first_name,
      last_name: row.last_name,
      created_at: row.created_at.toISOString(),
    })),
    next_cursor: found.length > limit && last ? encodeCursor(last.created_key, last.id, filters) : null,
  };
}
