/**
 * The audit trail's hash chain. Each row's hash is SHA-256 over a canonical serialization of its fields and the
 * previous row's hash, so changing, removing or reordering a row breaks its own hash or the next row's link.
 * Pure functions: the appender (trail.ts) and the verifier (verify.ts) share them.
 */
import { createHash } from 'node:crypto';

/** The previous hash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** What changed, PII minimized: the body's field names, and the values of enumerations only (see changes.ts). */
export interface AuditChanges {
  fields: string[];
  values: Record<string, string | string[]>;
}

export interface AuditEntry {
  occurredAt: Date;
  actorType: string;
  actorId: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  tenantId: string | null;
  requestId: string;
  ip: string | null;
  status: number;
  changes: AuditChanges;
}

export interface AuditRow extends AuditEntry {
  id: number;
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every depth: the same value always serializes to the same bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The row's hash: its fields in a fixed order (time as ISO 8601 UTC with milliseconds) and the previous hash. */
export function rowHash(row: Omit<AuditRow, 'hash'>): string {
  const fields = [
    row.id,
    row.occurredAt.toISOString(),
    row.actorType,
    row.actorId,
    row.action,
    row.targetType,
    row.targetId,
    row.tenantId,
    row.requestId,
    row.ip,
    row.status,
    row.changes,
    row.prevHash,
  ];
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}

/** Links entries after the row `{ id, hash }` (or the genesis): ids continue without gaps. */
export function chain(previous: { id: number; hash: string } | undefined, entries: AuditEntry[]): AuditRow[] {
  let id = previous?.id ?? 0;
  let prevHash = previous?.hash ?? GENESIS_HASH;
  return entries.map((entry) => {
    const unhashed = { ...entry, id: ++id, prevHash };
    const row = { ...unhashed, hash: rowHash(unhashed) };
    prevHash = row.hash;
    return row;
  });
}

export type ChainBreak =
  | { id: number; problem: 'hash'; message: string }
  | { id: number; problem: 'link'; message: string }
  | { id: number; problem: 'missing'; message: string };

/**
 * Checks rows in id order, following on `previous` (the last row already checked). Answers the first break: a row
 * whose stored hash is not the hash of its fields (it was edited), a row whose prev_hash is not the previous row's
 * hash (a row before it was edited or removed), or an id that skips (rows removed).
 */
export function firstBreak(previous: { id: number; hash: string } | undefined, rows: AuditRow[]): ChainBreak | undefined {
  let expectedId = (previous?.id ?? 0) + 1;
  let expectedPrev = previous?.hash ?? GENESIS_HASH;
  for (const row of rows) {
    if (row.id !== expectedId) {
      return { id: row.id, problem: 'missing', message: `rows ${expectedId}..${row.id - 1} are missing before row ${row.id} (deleted)` };
    }
    if (rowHash(row) !== row.hash) return { id: row.id, problem: 'hash', message: `row ${row.id}'s fields do not match its hash (edited)` };
    if (row.prevHash !== expectedPrev) {
      return { id: row.id, problem: 'link', message: `row ${row.id}'s prev_hash is not the hash of the row before it (that row was edited or replaced)` };
    }
    expectedId = row.id + 1;
    expectedPrev = row.hash;
  }
  return undefined;
}
