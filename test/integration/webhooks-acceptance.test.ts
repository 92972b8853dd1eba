/**
 * Webhooks end to end, as a tenant meets them: subscribe a local receiver through the API, onboard a customer
 * through KYC to ACTIVE, and receive every event the onboarding emitted, in the order it occurred, each signature
 * verifying with the standardwebhooks library. The receiver is down while KYC runs: nothing is lost, it catches up,
 * and the delivery log shows the refused attempts before the successful one.
 * Retries are milliseconds apart here (WEBHOOK_RETRY_*), so a few seconds' outage stands for hours.
 */
import { WEBHOOK_EVENT_TYPES } from '../../common/webhook-events';
import { startHarness, type Harness } from '../support/harness';
import { readyForKyc, waitForStatus } from '../support/journey';
import { createTenant, type TenantSession } from '../support/tenant-client';
import { eventually, startReceiver, type Receiver } from '../support/webhooks';

let h: Harness;
let tenant: TenantSession;
let receiver: Receiver;

beforeAll(async () => {
  h = await startHarness('webhooks_acceptance', {
    env: {
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_RETRY_INITIAL_MS: '200',
      WEBHOOK_RETRY_MAX_INTERVAL_MS: '1000',
      WEBHOOK_RETRY_WINDOW_MS: '300000',
    },
  });
  tenant = await createTenant(h, 'Webhook Acceptance Bank');
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver?.stop();
  await h?.close();
});

const customerEvents = (customerId: string) =>
  receiver.received.filter((request) => request.answered === 200 && request.envelope.data.customerId === customerId).map((request) => request.envelope);

it('a subscribed receiver gets every event of an onboarding in order, signed, and catches up after an outage', async () => {
  const subscribed = await tenant.call('POST', '/api/v2.1/webhooks/subscriptions', {
    url: receiver.url,
    eventTypes: WEBHOOK_EVENT_TYPES.filter((type) => type !== 'webhook.test'),
    description: 'acceptance',
  });
  expect(subscribed.status).toBe(201);
  receiver.secret = subscribed.body.secret;
  const subscriptionId: string = subscribed.body.subscriptionId;

  const customer = await readyForKyc(h, tenant);
  await eventually(() => customerEvents(customer.customerId).some((event) => event.data.status === 'PENDING_KYC'));

  // The receiver goes down while KYC runs and the tenant activates the customer.
  await receiver.stop();
  expect((await tenant.call('POST', `${customer.path}/verification`)).status).toBe(202);
  await waitForStatus(tenant, customer.path, 'KYC_APPROVED', 60_000);
  expect((await tenant.call('POST', `${customer.path}/activation`)).status).toBe(200);
  const log = () => tenant.call('GET', `/api/v2.1/webhooks/subscriptions/${subscriptionId}/deliveries?limit=100`);
  await eventually(async () => (await log()).body.data.some((delivery: any) => delivery.attempts.some((attempt: any) => attempt.error === 'refused')), 30_000);
  await receiver.start();

  // Everything recorded for the tenant arrives: nothing lost, nothing pending.
  const recorded: { id: string; type: string }[] = await h.db('webhook_events').where({ tenant_id: tenant.tenantId }).orderBy('seq').select('id', 'type');
  await eventually(async () => (await log()).body.data.every((delivery: any) => delivery.status === 'SUCCEEDED'), 60_000);
  const delivered = receiver.received.filter((request) => request.answered === 200).map((request) => request.envelope.id);
  expect(new Set(delivered)).toEqual(new Set(recorded.map((event) => event.id)));
  expect(receiver.unverified).toBe(0);
  for (const request of receiver.received) expect(request.headers['webhook-id']).toBe(request.envelope.id);

  // In order of occurrence: the status events replay the customer's status history, each naming the one before.
  const events = customerEvents(customer.customerId);
  const history: string[] = await h.db('customer_status_history').where({ customer_id: customer.customerId }).orderBy('id').pluck('status');
  const statusEvents = events.filter((event) => event.type === 'customer.status_changed');
  expect(statusEvents.map((event) => event.data.status)).toEqual(history);
  statusEvents.forEach((event, index) => expect(event.data.previousStatus).toBe(index === 0 ? null : statusEvents[index - 1]!.data.status));
  expect(events.map((event) => event.id)).toEqual(recorded.filter((event) => events.some((e) => e.id === event.id)).map((event) => event.id));
  expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['kyc.completed', 'customer.activated', 'customer.requirements_changed']));
  expect(events.find((event) => event.type === 'kyc.completed')!.data.outcome).toBe('APPROVED');
  expect(JSON.stringify(events)).not.toContain(customer.email);

  // The log shows the outage: refused attempts, then the 2xx that ended the delivery.
  const deliveries = (await log()).body.data;
  const retried = deliveries.find((delivery: any) => delivery.attempts.some((attempt: any) => attempt.error === 'refused'));
  expect(retried.attempts.at(-1)).toMatchObject({ statusCode: 200, error: null });
  expect(retried.attempts.length).toBeGreaterThan(1);
});
