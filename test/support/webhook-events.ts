/** The webhook outbox as tests read it: a subscription inserted directly (the fan-out target) and the rows recorded. */
import { randomBytes } from 'node:crypto';
import { fieldCipherFor } from '../../common/field-encryption';
import { WEBHOOK_EVENT_CATALOGUE, WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../common/webhook-events';
import { newWebhookSecret } from '../../api/webhooks/signature';
import { secretContext, WEBHOOK_SECRET_PURPOSE } from '../../api/webhooks/signing-secrets';
import type { Harness } from './harness';

export interface StoredEvent {
  seq: number;
  id: string;
  type: WebhookEventType;
  version: number;
  subjectId: string | null;
  data: Record<string, any>;
}

/** An enabled subscription to `eventTypes` (default: all), its secret sealed as the API seals it. */
export async function insertSubscription(h: Harness, tenantId: string, eventTypes: readonly string[] = WEBHOOK_EVENT_TYPES): Promise<string> {
  const id = `whs_${randomBytes(12).toString('hex')}`;
  const cipher = fieldCipherFor(h.secrets, WEBHOOK_SECRET_PURPOSE);
  await h.db('webhook_subscriptions').insert({
    id,
    tenant_id: tenantId,
    // Never reachable: these tests look at what was recorded, not at what a receiver got.
    url: 'https://receiver.invalid/webhooks',
    event_types: [...eventTypes],
    secret_sealed: cipher.encrypt(newWebhookSecret(), secretContext(tenantId, id)),
  });
  return id;
}

/** A customer's events in the order they were recorded. */
export async function eventsOf(h: Harness, tenantId: string, subjectId: string): Promise<StoredEvent[]> {
  const rows = await h.db('webhook_events').where({ tenant_id: tenantId, subject_id: subjectId }).orderBy('seq').select('seq', 'id', 'type', 'version', 'subject_id', 'data');
  return rows.map((r) => ({ seq: Number(r.seq), id: r.id, type: r.type, version: r.version, subjectId: r.subject_id, data: r.data }));
}

export async function deliveriesOf(h: Harness, subscriptionId: string): Promise<Array<{ eventSeq: number; subjectId: string | null }>> {
  const rows = await h.db('webhook_deliveries').where({ subscription_id: subscriptionId }).orderBy('event_seq').select('event_seq', 'subject_id');
  return rows.map((r) => ({ eventSeq: Number(r.event_seq), subjectId: r.subject_id }));
}

/** Waits until the customer has an event of `type` matching `data`; returns all its events then. */
export async function waitForEvent(h: Harness, tenantId: string, subjectId: string, type: WebhookEventType, data: Record<string, unknown> = {}, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await eventsOf(h, tenantId, subjectId);
    if (events.some((e) => e.type === type && Object.entries(data).every(([k, v]) => JSON.stringify(e.data[k]) === JSON.stringify(v)))) return events;
    if (Date.now() > deadline) throw new Error(`no ${type} ${JSON.stringify(data)} for ${subjectId}; recorded: ${events.map((e) => e.type).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Every event's data as its catalogue schema states it (a payload off its schema would fail here). */
export function expectCatalogueShapes(events: readonly StoredEvent[]): void {
  for (const event of events) {
    const entry = WEBHOOK_EVENT_CATALOGUE[event.type];
    expect(event.version).toBe(entry.version);
    expect(entry.data.safeParse(event.data).success).toBe(true);
    expect(event.id).toMatch(/^evt_/);
  }
}
