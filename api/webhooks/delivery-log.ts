/**
 * The tenant's view of the outbox (outbox.ts owns its tables): a subscription's deliveries with the event each
 * carries and every HTTP attempt, newest first; and the manual redelivery of one event, which is a new delivery row
 * (manual) beside the old one, so the log keeps both stories. Every query names the tenant and the subscription.
 */
import type { Knex } from '../../common/db';

export type DeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export interface DeliveryFilters {
  status?: DeliveryStatus;
  eventType?: string;
  /** Only deliveries older than this one (the previous page's last id). */
  before?: string;
  limit: number;
}

interface DeliveryRow {
  id: string;
  status: DeliveryStatus;
  manual: boolean;
  next_attempt_at: Date;
  created_at: Date;
  completed_at: Date | null;
  event_id: string;
  event_type: string;
  event_version: number;
  occurred_at: Date;
}

interface AttemptRow {
  delivery_id: string;
  attempted_at: Date;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
}

export async function listDeliveries(db: Knex, tenantId: string, subscriptionId: string, filters: DeliveryFilters) {
  const query = db('webhook_deliveries as d')
    .join('webhook_events as e', 'e.seq', 'd.event_seq')
    .where({ 'd.tenant_id': tenantId, 'd.subscription_id': subscriptionId })
    .select<DeliveryRow[]>(
      'd.id',
      'd.status',
      'd.manual',
      'd.next_attempt_at',
      'd.created_at',
      'd.completed_at',
      'e.id as event_id',
      'e.type as event_type',
      'e.version as event_version',
      'e.occurred_at',
    )
    .orderBy('d.id', 'desc')
    .limit(filters.limit);
  if (filters.status) query.where('d.status', filters.status);
  if (filters.eventType) query.where('e.type', filters.eventType);
  if (filters.before) query.where('d.id', '<', filters.before);
  const rows = await query;
  const attempts = rows.length
    ? await db('webhook_delivery_attempts')
        .where({ tenant_id: tenantId })
        .whereIn('delivery_id', rows.map((row) => row.id))
        .orderBy('id')
        .select<AttemptRow[]>('delivery_id', 'attempted_at', 'status_code', 'latency_ms', 'error')
    : [];
  const byDelivery = new Map<string, AttemptRow[]>();
  for (const attempt of attempts) byDelivery.set(String(attempt.delivery_id), [...(byDelivery.get(String(attempt.delivery_id)) ?? []), attempt]);
  const data = rows.map((row) => ({
    deliveryId: String(row.id),
    eventId: row.event_id,
    eventType: row.event_type,
    eventVersion: row.event_version,
    occurredAt: row.occurred_at.toISOString(),
    status: row.status,
    manual: row.manual,
    attempts: (byDelivery.get(String(row.id)) ?? []).map((attempt) => ({
      at: attempt.attempted_at.toISOString(),
      statusCode: attempt.status_code,
      latencyMs: attempt.latency_ms,
      error: attempt.error,
    })),
    nextAttemptAt: row.status === 'PENDING' ? row.next_attempt_at.toISOString() : null,
    createdAt: row.created_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
  }));
  return { data, nextCursor: rows.length === filters.limit ? String(rows.at(-1)!.id) : null };
}

/**
 * Owes the event of `deliveryId` to its subscription once more: a new PENDING delivery, marked manual, due now.
 * Undefined when the delivery is not this tenant's and this subscription's.
 */
export async function insertRedelivery(
  trx: Knex.Transaction,
  tenantId: string,
  subscriptionId: string,
  deliveryId: string,
): Promise<{ deliveryId: string; eventId: string } | undefined> {
  const original = await trx('webhook_deliveries as d')
    .join('webhook_events as e', 'e.seq', 'd.event_seq')
    .where({ 'd.tenant_id': tenantId, 'd.subscription_id': subscriptionId, 'd.id': deliveryId })
    .first<{ event_seq: string; subject_id: string | null; event_id: string } | undefined>('d.event_seq', 'd.subject_id', 'e.id as event_id');
  if (!original) return undefined;
  const [{ id }] = await trx('webhook_deliveries')
    .insert({ tenant_id: tenantId, subscription_id: subscriptionId, event_seq: original.event_seq, subject_id: original.subject_id, manual: true })
    .returning<{ id: string }[]>('id');
  return { deliveryId: String(id), eventId: original.event_id };
}
