/**
 * The audit trail's store (owner of `audit_events`). Appends are batched per process: entries that arrive while a
 * batch is being written go into the next one, so a busy API writes one INSERT per round trip, not one per call.
 * A batch is chained inside a transaction holding an advisory lock: the last row is read, the batch is linked to
 * it and inserted, and the lock is released at commit, so API processes on one database append one chain in turn.
 *
 * A batch that fails (the database is unreachable) is kept and retried with back-off until it is written; its
 * callers are told at once, so an answer is not held hostage by an outage (see recorder.ts).
 */
import type { Knex } from '../../common/db';
import { chain, type AuditEntry, type AuditRow } from './chain';

/** The advisory lock that serializes appends ("audt" in ASCII). */
const CHAIN_LOCK = 0x61756474;
const MAX_BATCH = 500;
const RETRY_MS = { first: 500, max: 30_000 };

export interface AuditFilters {
  tenantId?: string;
  actorType?: string;
  actorId?: string;
  targetType?: string;
  targetId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /** Rows older than this id (the previous page's `nextCursor`). */
  before?: number;
  limit: number;
}

export interface AuditTrail {
  /** Resolves once the row is committed; rejects if the write failed (the row stays queued and is retried). */
  append(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  list(filters: AuditFilters): Promise<AuditRow[]>;
  /** Rows queued in this process and not yet written. */
  pending(): number;
  /** Waits for queued rows to be written (shutdown, tests); gives up after `timeoutMs`. */
  drain(timeoutMs?: number): Promise<void>;
}

interface Queued {
  entry: AuditEntry;
  settle?: { resolve(): void; reject(error: unknown): void };
}

export function createAuditTrail(db: Knex, onRetry: (error: unknown, pending: number) => void = () => {}): AuditTrail {
  let queue: Queued[] = [];
  let writing: Promise<void> | undefined;
  let retryMs = 0;
  let retryTimer: NodeJS.Timeout | undefined;

  async function write(batch: Queued[]): Promise<void> {
    await db.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(?)', [CHAIN_LOCK]);
      const last = await trx('audit_events').select('id', 'hash').orderBy('id', 'desc').first();
      const rows = chain(last ? { id: Number(last.id), hash: last.hash } : undefined, batch.map((q) => q.entry));
      await trx('audit_events').insert(rows.map(toRecord));
    });
  }

  function flush(): void {
    if (writing || retryTimer || queue.length === 0) return;
    const batch = queue.slice(0, MAX_BATCH);
    queue = queue.slice(batch.length);
    writing = write(batch).then(
      () => {
        retryMs = 0;
        for (const q of batch) q.settle?.resolve();
      },
      (error) => {
        // Keep the rows, in order, ahead of newer ones; their callers stop waiting now.
        queue = [...batch.map((q) => ({ entry: q.entry })), ...queue];
        for (const q of batch) q.settle?.reject(error);
        retryMs = Math.min(retryMs ? retryMs * 2 : RETRY_MS.first, RETRY_MS.max);
        onRetry(error, queue.length);
        retryTimer = setTimeout(() => {
          retryTimer = undefined;
          flush();
        }, retryMs);
        retryTimer.unref();
      },
    );
    void writing.finally(() => {
      writing = undefined;
      flush();
    });
  }

  return {
    append(entry) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ entry, settle: { resolve, reject } });
        flush();
      });
    },

    async list(f) {
      const query = db('audit_events').orderBy('id', 'desc').limit(f.limit);
      if (f.tenantId !== undefined) query.where('tenant_id', f.tenantId);
      if (f.actorType !== undefined) query.where('actor_type', f.actorType);
      if (f.actorId !== undefined) query.where('actor_id', f.actorId);
      if (f.targetType !== undefined) query.where('target_type', f.targetType);
      if (f.targetId !== undefined) query.where('target_id', f.targetId);
      if (f.action !== undefined) query.where('action', f.action);
      if (f.from !== undefined) query.where('occurred_at', '>=', f.from);
      if (f.to !== undefined) query.where('occurred_at', '<', f.to);
      if (f.before !== undefined) query.where('id', '<', f.before);
      return (await query).map(fromRecord);
    },

    pending: () => queue.length + (writing ? 1 : 0),

    async drain(timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while ((queue.length || writing) && Date.now() < until) {
        if (retryTimer) {
          clearTimeout(retryTimer);
          retryTimer = undefined;
          flush();
        }
        await (writing ?? new Promise((r) => setTimeout(r, 50)));
      }
    },
  };
}

/** A row as stored. */
export interface AuditRecord {
  id: string | number;
  occurred_at: Date;
  actor_type: string;
  actor_id: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  tenant_id: string | null;
  request_id: string;
  ip: string | null;
  status: number;
  changes: AuditRow['changes'];
  prev_hash: string;
  hash: string;
}

function toRecord(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    occurred_at: row.occurredAt,
    actor_type: row.actorType,
    actor_id: row.actorId,
    action: row.action,
    target_type: row.targetType,
    target_id: row.targetId,
    tenant_id: row.tenantId,
    request_id: row.requestId,
    ip: row.ip,
    status: row.status,
    // jsonb: a string is written as it is, an object would need the driver to serialize it.
    changes: JSON.stringify(row.changes) as never,
    prev_hash: row.prevHash,
    hash: row.hash,
  };
}

export function fromRecord(r: AuditRecord): AuditRow {
  return {
    id: Number(r.id),
    occurredAt: r.occurred_at,
    actorType: r.actor_type,
    actorId: r.actor_id,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    tenantId: r.tenant_id,
    requestId: r.request_id,
    ip: r.ip,
    status: r.status,
    changes: r.changes,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
