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
 * Records the event and its deliveries in the caller's transaction (see `recordEventsAt`). The payload is checked
 * against the catalogue here, so an event that would break its documented schema fails its change instead of
 * reaching a receiver.
 */
export async function recordEvent<T extends WebhookEventType>(
  trx: Knex.Transaction,
  event: WebhookEventInput<T>,
  options: RecordOptions = {},
): Promise<RecordedEvent> {
  const { eventIds, subscriptionIds } = await recordEventsAt(trx, [event], options);
  return { eventId: eventIds[0], subscriptionIds };
}

/**
 * Records the events, in the order given, and their deliveries, in one statement: the events' insert hands each
 * new seq to the insert of one delivery per enabled subscription that wants its type (or only the one asked for).
 * The rows of one INSERT … VALUES are formed one at a time in the order listed, so their seqs follow that order.
 * Returns the events' ids, in order, and every subscription now owed one of them (to wake after the commit).
 */
export async function recordEventsAt(
  trx: Knex.Transaction,
  events: readonly WebhookEventInput[],
  options: RecordOptions = {},
): Promise<{ eventIds: string[]; subscriptionIds: string[] }> {
  if (events.length === 0) return { eventIds: [], subscriptionIds: [] };
  const eventIds = events.map(() => `evt_${randomUUID()}`);
  const values = events.flatMap((event, index) => {
    const entry = WEBHOOK_EVENT_CATALOGUE[event.type];
    const data = entry.data.parse(event.data);
    return [eventIds[index], event.tenantId, event.type, entry.version, event.subjectId, JSON.stringify(data)];
  });
  const wants = options.onlySubscriptionId === undefined ? ['event.type = any(s.event_types)', []] : ['s.id = ?', [options.onlySubscriptionId]];
  const { rows } = await trx.raw<{ rows: Array<{ subscription_id: string }> }>(
    `with event as (
       insert into webhook_events (id, tenant_id, type, version, subject_id, data)
       values ${events.map(() => '(?, ?, ?, ?, ?, ?::jsonb)').join(', ')}
       returning seq, tenant_id, type, subject_id
     ), owed as (
       insert into webhook_deliveries (tenant_id, subscription_id, event_seq, subject_id)
       select event.tenant_id, s.id, event.seq, event.subject_id
       from event join webhook_subscriptions s on s.tenant_id = event.tenant_id and s.enabled and ${wants[0]}
       returning subscription_id
     )
     select distinct subscription_id from owed`,
    [...values, ...wants[1]],
  );
  return { eventIds, subscriptionIds: rows.map((row) => row.subscription_id) };
}

/** What a subscription still owed, once it is disabled: CANCELLED, so the log says why it never went out. */
export async function cancelPendingDeliveries(trx: Knex.Transaction, tenantId: string, subscriptionId: string): Promise<void> {
  await trx('webhook_deliveries')
    .where({ tenant_id: tenantId, subscription_id: subscriptionId, status: 'PENDING' })
    .update({ status: 'CANCELLED', completed_at: trx.fn.now() });
}
