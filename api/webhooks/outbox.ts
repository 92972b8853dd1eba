/**
 * The owner of the webhook outbox (webhook_events, webhook_deliveries, webhook_delivery_attempts). An event is
 * recorded inside the transaction of the change it reports, with one delivery per enabled subscription that wants
 * its type; after the commit the caller wakes those subscriptions' delivery workflows (`WebhookWake`). Nothing is
 * lost if the wake never happens: the deliveries wait in the table for the next wake.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from '../../common/db';
import { WEBHOOK_EVENT_CATALOGUE, type WebhookEventInput, type WebhookEventType } from '../../common/webhook-events';

export interface RecordedEvent {
  eventId: string;
  /** The subscriptions that now owe this event a delivery: wake them once the transaction commits. */
  subscriptionIds: string[];
}

/** Wakes the delivery workflows of these subscriptions (after the commit that created their deliveries). */
export type WebhookWake = (tenantId: string, subscriptionIds: readonly string[]) => Promise<void>;

export interface RecordOptions {
  /**
   * Owe the event to this one subscription only (if enabled), whatever types it subscribed to: a test event is
   * sent to the endpoint the tenant asked to test, not to every subscriber of `webhook.test`.
   */
  onlySubscriptionId?: string;
}

/**
 * Records the event and its deliveries in the caller's transaction. The payload is checked against the catalogue
 * here, so an event that would break its documented schema fails its change instead of reaching a receiver.
 */
export async function recordEvent<T extends WebhookEventType>(
  trx: Knex.Transaction,
  event: WebhookEventInput<T>,
  options: RecordOptions = {},
): Promise<RecordedEvent> {
  const entry = WEBHOOK_EVENT_CATALOGUE[event.type];
  const data = entry.data.parse(event.data);
  const eventId = `evt_${randomUUID()}`;
  const [{ seq }] = await trx('webhook_events')
    .insert({ id: eventId, tenant_id: event.tenantId, type: event.type, version: entry.version, subject_id: event.subjectId, data })
    .returning<{ seq: string }[]>('seq');
  const wanted = trx('webhook_subscriptions').where({ tenant_id: event.tenantId, enabled: true });
  const subscriptions = await (options.onlySubscriptionId === undefined
    ? wanted.whereRaw('? = any(event_types)', [event.type])
    : wanted.where({ id: options.onlySubscriptionId })
  ).pluck<string[]>('id');
  if (subscriptions.length > 0) {
    await trx('webhook_deliveries').insert(
      subscriptions.map((subscriptionId) => ({ tenant_id: event.tenantId, subscription_id: subscriptionId, event_seq: seq, subject_id: event.subjectId })),
    );
  }
  return { eventId, subscriptionIds: subscriptions };
}

/** What a subscription still owed, once it is disabled: CANCELLED, so the log says why it never went out. */
export async function cancelPendingDeliveries(trx: Knex.Transaction, tenantId: string, subscriptionId: string): Promise<void> {
  await trx('webhook_deliveries')
    .where({ tenant_id: tenantId, subscription_id: subscriptionId, status: 'PENDING' })
    .update({ status: 'CANCELLED', completed_at: trx.fn.now() });
}
