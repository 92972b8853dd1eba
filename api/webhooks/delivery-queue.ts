/**
 * The delivery queue of one subscription, read and written by its delivery workflow's activities (part of the
 * outbox, which owns webhook_deliveries and webhook_delivery_attempts). Every query names the tenant and the
 * subscription; every time comes from the database's clock, so workers with skewed clocks agree.
 *
 * Order: per subscription, a subject's deliveries go out in event order. Only each subject's HEAD (its earliest
 * pending delivery) may be sent, and only once its next_attempt_at has come: a failing head holds back the later
 * events of its own subject, never those of other subjects. A manual redelivery (or a delivery without a subject)
 * is its own head: it re-sends an old event and must not hold back, or be held back by, the live stream.
 */
import type { Knex } from '../../common/db';
import type { WebhookEnvelope } from '../../common/webhook-events';

export interface QueueView {
  /** Heads due now, in event order, at most `limit`. Each is a different subject, so they may go out together. */
  due: string[];
  /** How long until the next head is due (0: more are due than `limit`); null: nothing is pending. */
  nextInMs: number | null;
}

/** What one attempt needs: the envelope's parts and the retry bookkeeping. */
export interface PendingDelivery {
  id: string;
  attempts: number;
  first_attempt_at: Date | null;
  event_id: string;
  type: string;
  version: number;
  occurred_at: Date;
  data: Record<string, unknown>;
}

export type AttemptRecord = { statusCode: number | null; error: string | null; latencyMs: number };

/** The partition within which order is kept (see the header). */
const ORDER_KEY = `case when manual or subject_id is null then 'delivery:' || id::text else 'subject:' || subject_id end`;

export async function queueView(db: Knex, tenantId: string, subscriptionId: string, limit: number): Promise<QueueView> {
  const { rows } = await db.raw<{ rows: Array<{ id: string; wait_ms: string }> }>(
    `with heads as (
       select distinct on (${ORDER_KEY}) id, event_seq, next_attempt_at
       from webhook_deliveries
       where tenant_id = ? and subscription_id = ? and status = 'PENDING'
       order by ${ORDER_KEY}, event_seq, id
     )
     select id, greatest(0, ceil(extract(epoch from (next_attempt_at - now())) * 1000)) as wait_ms
     from heads
     order by next_attempt_at <= now() desc, event_seq, next_attempt_at`,
    [tenantId, subscriptionId],
  );
  const due = rows.filter((row) => Number(row.wait_ms) === 0).map((row) => row.id);
  if (rows.length === 0) return { due: [], nextInMs: null };
  if (due.length > limit) return { due: due.slice(0, limit), nextInMs: 0 };
  const waits = rows.filter((row) => Number(row.wait_ms) > 0).map((row) => Number(row.wait_ms));
  return { due, nextInMs: waits.length > 0 ? Math.min(...waits) : null };
}

/** The delivery with its event, while it is still PENDING for this subscription; undefined once it is settled. */
export async function pendingDelivery(db: Knex, tenantId: string, subscriptionId: string, deliveryId: string): Promise<PendingDelivery | undefined> {
  return db('webhook_deliveries as d')
    .join('webhook_events as e', 'e.seq', 'd.event_seq')
    .where({ 'd.tenant_id': tenantId, 'd.subscription_id': subscriptionId, 'd.id': deliveryId, 'd.status': 'PENDING', 'e.tenant_id': tenantId })
    .first<PendingDelivery | undefined>(
      'd.id',
      'd.attempts',
      'd.first_attempt_at',
      'e.id as event_id',
      'e.type',
      'e.version',
      'e.occurred_at',
      'e.data',
    );
}

/** The request body receivers get (common/webhook-events.ts): ids and states only, as the event recorded them. */
export function envelopeOf(delivery: PendingDelivery): WebhookEnvelope {
  return {
    id: delivery.event_id,
    type: delivery.type as WebhookEnvelope['type'],
    version: delivery.version,
    timestamp: delivery.occurred_at.toISOString(),
    data: delivery.data,
  };
}

/** The database's clock: the time secrets' overlaps and retry windows are measured against. */
export async function databaseNow(db: Knex): Promise<Date> {
  const { rows } = await db.raw<{ rows: Array<{ now: Date }> }>('select now() as now');
  return rows[0]!.now;
}

/** Appends the attempt to the delivery log. */
export async function recordAttempt(trx: Knex.Transaction, tenantId: string, deliveryId: string, attempt: AttemptRecord): Promise<void> {
  await trx('webhook_delivery_attempts').insert({
    tenant_id: tenantId,
    delivery_id: deliveryId,
    status_code: attempt.statusCode,
    latency_ms: attempt.latencyMs,
    error: attempt.error,
  });
}

/** A 2xx (SUCCEEDED) or a 410 (FAILED: the receiver is gone); `startedAt` is the first attempt if this was it. */
export async function settleDelivery(
  trx: Knex.Transaction,
  tenantId: string,
  deliveryId: string,
  status: 'SUCCEEDED' | 'FAILED',
  startedAt: Date,
): Promise<void> {
  await trx('webhook_deliveries')
    .where({ tenant_id: tenantId, id: deliveryId, status: 'PENDING' })
    .update({
      status,
      attempts: trx.raw('attempts + 1'),
      first_attempt_at: trx.raw('coalesce(first_attempt_at, ?)', [startedAt]),
      completed_at: trx.fn.now(),
    });
}

/**
 * After a failed attempt: the next one in `delayMs`, but never past the retry window (counted from the first
 * attempt), so the last try happens at its end; an attempt at or past the end leaves the delivery FAILED.
 * Undefined: the delivery was no longer PENDING (cancelled meanwhile by a disablement).
 */
export async function scheduleRetry(
  trx: Knex.Transaction,
  tenantId: string,
  deliveryId: string,
  delayMs: number,
  windowMs: number,
  startedAt: Date,
): Promise<'PENDING' | 'FAILED' | undefined> {
  const [row] = await trx('webhook_deliveries')
    .where({ tenant_id: tenantId, id: deliveryId, status: 'PENDING' })
    .update(
      {
        attempts: trx.raw('attempts + 1'),
        first_attempt_at: trx.raw('coalesce(first_attempt_at, ?)', [startedAt]),
        status: trx.raw(`case when now() >= coalesce(first_attempt_at, ?) + ? * interval '1 millisecond' then 'FAILED' else 'PENDING' end`, [startedAt, windowMs]),
        next_attempt_at: trx.raw(`least(now() + ? * interval '1 millisecond', coalesce(first_attempt_at, ?) + ? * interval '1 millisecond')`, [
          delayMs,
          startedAt,
          windowMs,
        ]),
        completed_at: trx.raw(`case when now() >= coalesce(first_attempt_at, ?) + ? * interval '1 millisecond' then now() end`, [startedAt, windowMs]),
      },
      ['status'],
    );
  return row?.status as 'PENDING' | 'FAILED' | undefined;
}
