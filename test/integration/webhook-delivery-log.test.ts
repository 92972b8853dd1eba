/**
 * What a tenant does with deliveries over HTTP: send a test event to one subscription, trigger any catalogue event
 * in the sandbox, read the delivery log (attempts, status, next attempt; filters; pages), and redeliver one event.
 * Rows are created by the outbox through these routes; the attempts the delivery workflow would write are inserted
 * here as it writes them, so the log's shape is checked without depending on a receiver. Each wake is checked on
 * Temporal: the subscription's delivery workflow exists (no worker runs in this slice, so it only waits).
 */
import { randomBytes } from 'node:crypto';
import { webhookDeliveryWorkflowId } from '../../common/webhook-contract';
import { WEBHOOK_EVENT_CATALOGUE, WEBHOOK_EVENT_TYPES } from '../../common/webhook-events';
import { startHarness, type Harness } from '../support/harness';
import { createTenant, type TenantSession } from '../support/tenant-client';

const BASE = '/api/v2.1/webhooks/subscriptions';
const SANDBOX = '/api/v2.1/sandbox/webhooks/events';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('webhook_delivery_log', { withWorker: false, env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } });
  tenant = await createTenant(h, 'Log Bank');
});
afterAll(() => h?.close());

async function subscribe(eventTypes: string[], who = tenant): Promise<string> {
  const res = await who.call('POST', BASE, { url: 'http://127.0.0.1:4999/hooks', eventTypes });
  expect(res.status).toBe(201);
  return res.body.subscriptionId;
}

const deliveriesOf = (subscriptionId: string) =>
  h.db('webhook_deliveries as d').join('webhook_events as e', 'e.seq', 'd.event_seq').where({ 'd.subscription_id': subscriptionId }).orderBy('d.id').select('d.id', 'd.status', 'd.manual', 'e.id as event_id', 'e.type');

/** The wake signal-with-started the subscription's delivery workflow. */
async function expectWoken(subscriptionId: string) {
  const description = await h.temporal.workflow.getHandle(webhookDeliveryWorkflowId(tenant.tenantId, subscriptionId)).describe();
  expect(description.type).toBe('webhookDelivery');
}

describe('POST .../{id}/test', () => {
  it('records one webhook.test event delivered to that subscription only, and wakes it', async () => {
    const target = await subscribe(['customer.activated']);
    const bystander = await subscribe(['webhook.test']);
    const res = await tenant.call('POST', `${BASE}/${target}/test`);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ eventId: expect.stringMatching(/^evt_/) });
    const event = await h.db('webhook_events').where({ id: res.body.eventId }).first();
    expect(event).toMatchObject({ tenant_id: tenant.tenantId, type: 'webhook.test', version: 1, subject_id: null, data: { subscriptionId: target } });
    const owed = await h.db('webhook_deliveries').where({ event_seq: event.seq });
    expect(owed.map((d) => [d.subscription_id, d.status])).toEqual([[target, 'PENDING']]);
    expect(await deliveriesOf(bystander)).toEqual([]);
    await expectWoken(target);
  });

  it('refuses a disabled subscription (409) and records nothing', async () => {
    const id = await subscribe(['customer.activated']);
    await tenant.call('PATCH', `${BASE}/${id}`, { enabled: false });
    const events = await h.db('webhook_events').count({ n: '*' });
    const res = await tenant.call('POST', `${BASE}/${id}/test`);
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('CONFLICT');
    expect(await h.db('webhook_events').count({ n: '*' })).toEqual(events);
  });
});

describe('the sandbox trigger', () => {
  it('records any catalogue type with schema-valid data for a made-up subject, owed to every subscriber of the type', async () => {
    const all = await subscribe([...WEBHOOK_EVENT_TYPES]);
    for (const type of WEBHOOK_EVENT_TYPES) {
      const res = await tenant.call('POST', SANDBOX, { type });
      expect({ type, status: res.status }).toEqual({ type, status: 202 });
      expect(res.body).toEqual({ eventId: expect.stringMatching(/^evt_/), type, subscriptionIds: expect.arrayContaining([all]) });
      const event = await h.db('webhook_events').where({ id: res.body.eventId }).first();
      expect(WEBHOOK_EVENT_CATALOGUE[type].data.safeParse(event.data).success).toBe(true);
      if (type !== 'webhook.test') expect(event.data.customerId).toMatch(type === 'kyb.completed' ? /^org_sandbox_/ : /^cust_sandbox_/);
    }
    expect((await deliveriesOf(all)).map((d) => d.type)).toEqual(WEBHOOK_EVENT_TYPES);
    await expectWoken(all);
  });

  it("names the tenant's own customer when given, and refuses another tenant's (404) or an unknown type (400)", async () => {
    const customerId = `cust_${randomBytes(12).toString('hex')}`;
    await h.db('customers').insert({ id: customerId, tenant_id: tenant.tenantId, type: 'INDIVIDUAL', email: 'c@example.com', first_name: 'C', last_name: 'D', status: 'KYC_IN_PROGRESS' });
    const res = await tenant.call('POST', SANDBOX, { type: 'kyc.completed', customerId });
    expect(res.status).toBe(202);
    const event = await h.db('webhook_events').where({ id: res.body.eventId }).first();
    expect(event).toMatchObject({ subject_id: customerId, data: { customerId, customerType: 'INDIVIDUAL', outcome: 'APPROVED' } });

    const stranger = await createTenant(h, 'Stranger Bank');
    const events = await h.db('webhook_events').count({ n: '*' });
    expect((await stranger.call('POST', SANDBOX, { type: 'kyc.completed', customerId })).status).toBe(404);
    const unknown = await stranger.call('POST', SANDBOX, { type: 'customer.deleted' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details.map((d: { field: string }) => d.field)).toEqual(['type']);
    expect(await h.db('webhook_events').count({ n: '*' })).toEqual(events);
  });
});

describe('the delivery log', () => {
  it('lists deliveries newest first with event, status, attempts and next attempt; filters and pages', async () => {
    const id = await subscribe(['customer.activated', 'customer.expired']);
    const first = (await tenant.call('POST', SANDBOX, { type: 'customer.activated' })).body.eventId;
    const second = (await tenant.call('POST', SANDBOX, { type: 'customer.expired' })).body.eventId;
    const [done, pending] = await deliveriesOf(id);
    // What the delivery workflow records: a failed attempt, then a success that ends the delivery.
    await h.db('webhook_delivery_attempts').insert([
      { tenant_id: tenant.tenantId, delivery_id: done.id, status_code: 503, latency_ms: 120, error: 'HTTP 503', attempted_at: new Date('2026-11-27T10:00:00Z') },
      { tenant_id: tenant.tenantId, delivery_id: done.id, status_code: 200, latency_ms: 35, error: null, attempted_at: new Date('2026-11-27T10:00:05Z') },
    ]);
    await h.db('webhook_deliveries').where({ id: done.id }).update({ status: 'SUCCEEDED', attempts: 2, completed_at: new Date('2026-11-27T10:00:05Z') });

    const log = await tenant.call('GET', `${BASE}/${id}/deliveries`);
    expect(log.status).toBe(200);
    expect(log.body.nextCursor).toBeNull();
    expect(log.body.data).toEqual([
      {
        deliveryId: String(pending.id),
        eventId: second,
        eventType: 'customer.expired',
        eventVersion: 1,
        occurredAt: expect.any(String),
        status: 'PENDING',
        manual: false,
        attempts: [],
        nextAttemptAt: expect.any(String),
        createdAt: expect.any(String),
        completedAt: null,
      },
      {
        deliveryId: String(done.id),
        eventId: first,
        eventType: 'customer.activated',
        eventVersion: 1,
        occurredAt: expect.any(String),
        status: 'SUCCEEDED',
        manual: false,
        attempts: [
          { at: '2026-11-27T10:00:00.000Z', statusCode: 503, latencyMs: 120, error: 'HTTP 503' },
          { at: '2026-11-27T10:00:05.000Z', statusCode: 200, latencyMs: 35, error: null },
        ],
        nextAttemptAt: null,
        createdAt: expect.any(String),
        completedAt: '2026-11-27T10:00:05.000Z',
      },
    ]);

    const ids = (path: string) => tenant.call('GET', `${BASE}/${id}/deliveries${path}`).then((r) => r.body.data.map((d: { eventId: string }) => d.eventId));
    expect(await ids('?status=SUCCEEDED')).toEqual([first]);
    expect(await ids('?eventType=customer.expired')).toEqual([second]);
    const page1 = await tenant.call('GET', `${BASE}/${id}/deliveries?limit=1`);
    expect(page1.body).toMatchObject({ data: [{ eventId: second }], nextCursor: String(pending.id) });
    expect(await ids(`?limit=1&cursor=${page1.body.nextCursor}`)).toEqual([first]);
    const bad = await tenant.call('GET', `${BASE}/${id}/deliveries?status=LOST&cursor=abc`);
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['cursor', 'status']);
  });

  it('redelivers one event as a new manual delivery with the same event id, and wakes the subscription', async () => {
    const id = await subscribe(['customer.activated']);
    const eventId = (await tenant.call('POST', SANDBOX, { type: 'customer.activated' })).body.eventId;
    const [original] = await deliveriesOf(id);
    await h.db('webhook_deliveries').where({ id: original.id }).update({ status: 'FAILED', completed_at: new Date() });

    const res = await tenant.call('POST', `${BASE}/${id}/deliveries/${original.id}/redeliver`);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ deliveryId: expect.stringMatching(/^\d+$/), eventId });
    expect(res.body.deliveryId).not.toBe(String(original.id));
    expect((await deliveriesOf(id)).map((d) => [String(d.id), d.event_id, d.status, d.manual])).toEqual([
      [String(original.id), eventId, 'FAILED', false],
      [res.body.deliveryId, eventId, 'PENDING', true],
    ]);
    const log = await tenant.call('GET', `${BASE}/${id}/deliveries`);
    expect(log.body.data[0]).toMatchObject({ deliveryId: res.body.deliveryId, eventId, manual: true, status: 'PENDING' });
    await expectWoken(id);

    const elsewhere = await subscribe(['customer.activated']);
    expect((await tenant.call('POST', `${BASE}/${elsewhere}/deliveries/${original.id}/redeliver`)).status).toBe(404);
    expect((await tenant.call('POST', `${BASE}/${id}/deliveries/999999999/redeliver`)).status).toBe(404);
    await tenant.call('PATCH', `${BASE}/${id}`, { enabled: false });
    expect((await tenant.call('POST', `${BASE}/${id}/deliveries/${original.id}/redeliver`)).status).toBe(409);
    expect(await deliveriesOf(id)).toHaveLength(2);
  });
});
