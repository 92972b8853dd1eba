/**
 * Durable webhook delivery on the real stack: events recorded through the outbox reach a local receiver signed per
 * Standard Webhooks, in order per subject, with a stable webhook-id; a receiver that is down catches up with
 * nothing lost; 410 disables; redirects are not followed; a rotation overlap signs with both secrets.
 * Retries are milliseconds apart here (WEBHOOK_RETRY_*), so outages of a second or two stand for hours.
 */
import { Webhook } from 'standardwebhooks';
import { webhookDeliveryWorkflowId } from '../../common/webhook-contract';
import { recordEvent } from '../../api/webhooks/outbox';
import { startHarness, type Harness } from '../support/harness';
import { createTenant } from '../support/tenant-client';
import {
  acceptedStatuses,
  createTestSubscription,
  eventually,
  offeredStatuses,
  recordAndWake,
  startReceiver,
  statusChanged,
  type Receiver,
} from '../support/webhooks';

let h: Harness;
let tenantId: string;
const receivers: Receiver[] = [];

beforeAll(async () => {
  h = await startHarness('webhook_delivery', {
    env: {
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_RETRY_INITIAL_MS: '100',
      WEBHOOK_RETRY_MAX_INTERVAL_MS: '300',
      WEBHOOK_RETRY_WINDOW_MS: '120000',
    },
  });
  tenantId = (await createTenant(h, 'Webhook Bank')).tenantId;
});

afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.stop()));
  await h?.close();
});

async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}

/** A subscription of the tenant pointing at `endpoint`, which from now on verifies with its secret. */
async function subscribe(endpoint: Receiver, options: Partial<Parameters<typeof createTestSubscription>[2]> = {}) {
  const subscription = await createTestSubscription(h, tenantId, { url: endpoint.url, ...options });
  endpoint.secret = subscription.secret;
  return subscription;
}

const deliveriesOf = (subscriptionId: string) =>
  h.db('webhook_deliveries').where({ tenant_id: tenantId, subscription_id: subscriptionId }).orderBy('event_seq');
/** The deliveries once none is PENDING any more. */
const settled = (subscriptionId: string) =>
  eventually(async () => {
    const rows = await deliveriesOf(subscriptionId);
    return rows.every((row) => row.status !== 'PENDING') && rows;
  });
const attemptsOf = (subscriptionId: string) =>
  h
    .db('webhook_delivery_attempts as a')
    .join('webhook_deliveries as d', 'd.id', 'a.delivery_id')
    .where({ 'd.tenant_id': tenantId, 'd.subscription_id': subscriptionId })
    .orderBy('a.id')
    .select('a.delivery_id', 'a.status_code', 'a.error', 'a.latency_ms');

it('delivers every event once, in order per customer, signed, with the event id as webhook-id', async () => {
  const endpoint = await receiver();
  const subscription = await subscribe(endpoint);
  const verifier = new Webhook(subscription.secret);
  endpoint.respond = () => 200;
  const events = [
    statusChanged(tenantId, 'cust_a', 'A1'),
    statusChanged(tenantId, 'cust_b', 'B1'),
    statusChanged(tenantId, 'cust_a', 'A2'),
    statusChanged(tenantId, 'cust_a', 'A3'),
    statusChanged(tenantId, 'cust_b', 'B2'),
  ];
  const ids = [...(await recordAndWake(h, events.slice(0, 2))), ...(await recordAndWake(h, events.slice(2)))];

  await eventually(() => endpoint.received.length === 5);
  expect(offeredStatuses(endpoint, 'cust_a')).toEqual(['A1', 'A2', 'A3']);
  expect(offeredStatuses(endpoint, 'cust_b')).toEqual(['B1', 'B2']);
  for (const request of endpoint.received) {
    expect(() => verifier.verify(request.body, request.headers as Record<string, string>)).not.toThrow();
    expect(request.headers['webhook-id']).toBe(request.envelope.id);
    expect(request.envelope).toMatchObject({ type: 'customer.status_changed', version: 1, data: { customerType: 'INDIVIDUAL' } });
    expect(Object.keys(request.envelope.data).sort()).toEqual(['customerId', 'customerType', 'lifecycleStatus', 'previousStatus', 'status']);
  }
  expect(endpoint.received.map((request) => request.envelope.id).sort()).toEqual([...ids].sort());
  const stored = await h.db('webhook_events').whereIn('id', ids).select('id', 'occurred_at');
  for (const event of stored) {
    expect(endpoint.received.find((request) => request.envelope.id === event.id)!.envelope.timestamp).toBe(event.occurred_at.toISOString());
  }

  // The receiver has answered; the worker records the answer right after.
  const deliveries = await settled(subscription.id);
  expect(deliveries.map((row) => [row.status, row.attempts])).toEqual(Array(5).fill(['SUCCEEDED', 1]));
  const attempts = await attemptsOf(subscription.id);
  expect(attempts).toHaveLength(5);
  expect(attempts.every((row) => row.status_code === 200 && row.error === null && row.latency_ms >= 0)).toBe(true);
});

it('retries a failed attempt with the same webhook-id and the same body', async () => {
  const endpoint = await receiver();
  const subscription = await subscribe(endpoint);
  const seen = new Set<string>();
  endpoint.respond = (request) => (seen.has(request.envelope.id) ? 200 : (seen.add(request.envelope.id), 500));
  await recordAndWake(h, [statusChanged(tenantId, 'cust_r', 'R1')]);

  await eventually(() => endpoint.received.length === 2);
  const [first, second] = endpoint.received;
  expect([first!.answered, second!.answered]).toEqual([500, 200]);
  expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
  expect(second!.body).toBe(first!.body);
  await eventually(async () => (await deliveriesOf(subscription.id))[0]?.status === 'SUCCEEDED');
  expect((await attemptsOf(subscription.id)).map((row) => row.status_code)).toEqual([500, 200]);
});

it('catches up after the receiver was down and then failing: nothing lost, in order, every attempt logged', async () => {
  const endpoint = await receiver();
  const subscription = await subscribe(endpoint);
  await endpoint.stop(); // a closed port: connection refused
  await recordAndWake(h, [statusChanged(tenantId, 'cust_c', 'C1'), statusChanged(tenantId, 'cust_d', 'D1')]);
  await recordAndWake(h, [statusChanged(tenantId, 'cust_c', 'C2'), statusChanged(tenantId, 'cust_d', 'D2')]);
  await recordAndWake(h, [statusChanged(tenantId, 'cust_c', 'C3')]);
  await eventually(async () => (await attemptsOf(subscription.id)).filter((row) => row.error === 'refused').length >= 4);

  endpoint.respond = () => 500; // back, but failing
  await endpoint.start();
  await eventually(async () => (await attemptsOf(subscription.id)).filter((row) => row.status_code === 500).length >= 4);
  expect(acceptedStatuses(endpoint, 'cust_c')).toEqual([]);

  endpoint.respond = () => 200;
  await eventually(() => endpoint.received.filter((request) => request.answered === 200).length === 5);
  expect(acceptedStatuses(endpoint, 'cust_c')).toEqual(['C1', 'C2', 'C3']);
  expect(acceptedStatuses(endpoint, 'cust_d')).toEqual(['D1', 'D2']);
  // While C1 was failing, C2 was never offered: a subject's later event does not overtake its earlier one.
  expect(offeredStatuses(endpoint, 'cust_c')).toEqual(['C1', 'C2', 'C3']);
  expect(offeredStatuses(endpoint, 'cust_d')).toEqual(['D1', 'D2']);
  expect(endpoint.unverified).toBe(0);

  const deliveries = await settled(subscription.id);
  expect(deliveries.map((row) => row.status)).toEqual(Array(5).fill('SUCCEEDED'));
  const attempts = await attemptsOf(subscription.id);
  for (const delivery of deliveries) {
    expect(attempts.filter((row) => row.delivery_id === delivery.id)).toHaveLength(delivery.attempts);
  }
  expect(attempts.filter((row) => row.status_code === 200)).toHaveLength(5);
  expect(new Set(attempts.map((row) => row.error ?? row.status_code))).toEqual(new Set(['refused', 500, 200]));
});

it("keeps delivering other customers' events while one customer's event keeps failing", async () => {
  const endpoint = await receiver();
  const subscription = await subscribe(endpoint);
  endpoint.respond = (request) => (request.envelope.data.customerId === 'cust_stuck' ? 503 : 200);
  await recordAndWake(h, [
    statusChanged(tenantId, 'cust_stuck', 'S1'),
    statusChanged(tenantId, 'cust_free', 'F1'),
    statusChanged(tenantId, 'cust_stuck', 'S2'),
    statusChanged(tenantId, 'cust_free', 'F2'),
    statusChanged(tenantId, 'cust_free', 'F3'),
  ]);

  await eventually(() => acceptedStatuses(endpoint, 'cust_free').length === 3);
  expect(acceptedStatuses(endpoint, 'cust_free')).toEqual(['F1', 'F2', 'F3']);
  expect(offeredStatuses(endpoint, 'cust_stuck')).toEqual(['S1']);

  endpoint.respond = () => 200;
  await eventually(() => acceptedStatuses(endpoint, 'cust_stuck').length === 2);
  expect(offeredStatuses(endpoint, 'cust_stuck')).toEqual(['S1', 'S2']);
  await eventually(async () => (await deliveriesOf(subscription.id)).every((row) => row.status === 'SUCCEEDED'));
});

it('disables the subscription as GONE on 410 and cancels what it still owed', async () => {
  const endpoint = await receiver(() => 410);
  const subscription = await subscribe(endpoint);
  await recordAndWake(h, [statusChanged(tenantId, 'cust_g', 'G1'), statusChanged(tenantId, 'cust_g', 'G2'), statusChanged(tenantId, 'cust_g', 'G3')]);

  const handle = h.temporal.workflow.getHandle(webhookDeliveryWorkflowId(tenantId, subscription.id));
  await eventually(async () => (await handle.describe()).status.name === 'COMPLETED');
  expect(await handle.result()).toBe('GONE');
  expect(endpoint.received.map((request) => request.envelope.data.status)).toEqual(['G1']);
  expect((await deliveriesOf(subscription.id)).map((row) => row.status)).toEqual(['FAILED', 'CANCELLED', 'CANCELLED']);
  const stored = await h.db('webhook_subscriptions').where({ tenant_id: tenantId, id: subscription.id }).first();
  expect(stored).toMatchObject({ enabled: false, disabled_reason: 'GONE', disabled_at: expect.any(Date) });
  // A disabled subscription is owed nothing new.
  const later = await h.db.transaction((trx) => recordEvent(trx, statusChanged(tenantId, 'cust_g', 'G4')));
  expect(later.subscriptionIds).not.toContain(subscription.id);
});

it('does not follow a redirect: a 3xx is a failed attempt, retried at the subscribed URL', async () => {
  const elsewhere = await receiver();
  const endpoint = await receiver();
  const subscription = await subscribe(endpoint);
  endpoint.respond = () => ({ status: 307, headers: { location: elsewhere.url } });
  await recordAndWake(h, [statusChanged(tenantId, 'cust_redirect', 'X1')]);

  await eventually(async () => (await attemptsOf(subscription.id)).filter((row) => row.status_code === 307).length >= 2);
  expect((await deliveriesOf(subscription.id))[0]).toMatchObject({ status: 'PENDING' });
  endpoint.respond = () => 200;
  await eventually(async () => (await deliveriesOf(subscription.id))[0]?.status === 'SUCCEEDED');
  expect(elsewhere.received).toHaveLength(0);
});

it('signs with both secrets during a rotation overlap, and with the current one alone after it', async () => {
  const overlapping = await receiver();
  const rotating = await subscribe(overlapping, { previousSecretExpiresAt: new Date(Date.now() + 3_600_000) });
  const afterwards = await receiver();
  const rotated = await subscribe(afterwards, { previousSecretExpiresAt: new Date(Date.now() - 60_000) });
  await recordAndWake(h, [statusChanged(tenantId, 'cust_rot', 'K1')]);
  await eventually(() => overlapping.received.length === 1 && afterwards.received.length === 1);

  // Each signature verifies on its own with its secret: a receiver holding either one accepts the message.
  const [both] = overlapping.received;
  const signatures = String(both!.headers['webhook-signature']).split(' ');
  expect(signatures).toHaveLength(2);
  const headersWith = (signature: string) => ({ ...(both!.headers as Record<string, string>), 'webhook-signature': signature });
  expect(() => new Webhook(rotating.secret).verify(both!.body, headersWith(signatures[0]!))).not.toThrow();
  expect(() => new Webhook(rotating.previousSecret!).verify(both!.body, headersWith(signatures[1]!))).not.toThrow();
  expect(() => new Webhook(rotating.previousSecret!).verify(both!.body, headersWith(signatures[0]!))).toThrow();

  const [one] = afterwards.received;
  expect(String(one!.headers['webhook-signature']).split(' ')).toHaveLength(1);
  expect(() => new Webhook(rotated.previousSecret!).verify(one!.body, one!.headers as Record<string, string>)).toThrow();
});

it('keeps order and catches up across continue-as-new', async () => {
  const endpoint = await receiver();
  const subscription = await subscribe(endpoint);
  const workflowId = webhookDeliveryWorkflowId(tenantId, subscription.id);
  const handle = await h.temporal.workflow.start('webhookDelivery', {
    workflowId,
    taskQueue: h.config.TEMPORAL_TASK_QUEUE,
    args: [{ tenantId, subscriptionId: subscription.id, continueAsNewAfterRounds: 2 }],
  });
  for (const status of ['N1', 'N2', 'N3', 'N4']) await recordAndWake(h, [statusChanged(tenantId, 'cust_next', status)]);

  await eventually(() => acceptedStatuses(endpoint, 'cust_next').length === 4);
  expect(offeredStatuses(endpoint, 'cust_next')).toEqual(['N1', 'N2', 'N3', 'N4']);
  expect((await h.temporal.workflow.getHandle(workflowId, handle.firstExecutionRunId).describe()).status.name).toBe('CONTINUED_AS_NEW');
});
