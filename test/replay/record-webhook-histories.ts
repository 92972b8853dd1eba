/**
 * Records histories of the webhookDelivery workflow into test/histories/ as `webhook-<scenario>.json`
 * (`npm run record-histories` runs this beside the other recorders; it is not part of `npm test`): a receiver
 * that is down, then failing, then takes everything, then answers 410; and one that never answers 2xx, so the
 * window closes and the tenant is alerted. Retries are milliseconds apart, as in the tests.
 */
import { webhookDeliveryWorkflowId } from '../../common/webhook-contract';
import { startHarness, type Harness } from '../support/harness';
import { waitForEmails } from '../support/inbox';
import { createTenant } from '../support/tenant-client';
import { acceptedStatuses, createTestSubscription, eventually, recordAndWake, startReceiver, statusChanged, type Receiver } from '../support/webhooks';
import { FIXTURE_SECRETS, saveHistory } from './histories';

let h: Harness;
let tenantId: string;
const receivers: Receiver[] = [];

beforeAll(async () => {
  h = await startHarness('record_webhooks', {
    secrets: FIXTURE_SECRETS,
    env: {
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_RETRY_INITIAL_MS: '100',
      WEBHOOK_RETRY_MAX_INTERVAL_MS: '300',
      WEBHOOK_RETRY_WINDOW_MS: '3000',
    },
  });
  tenantId = (await createTenant(h)).tenantId;
});
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.stop()));
  await h?.close();
});

async function subscribedReceiver(alertEmail?: string) {
  const endpoint = await startReceiver(() => 200);
  receivers.push(endpoint);
  const subscription = await createTestSubscription(h, tenantId, { url: endpoint.url, alertEmail });
  endpoint.secret = subscription.secret;
  return { endpoint, handle: h.temporal.workflow.getHandle(webhookDeliveryWorkflowId(tenantId, subscription.id)) };
}

it('records a catch-up after an outage, ended by 410', async () => {
  const { endpoint, handle } = await subscribedReceiver();
  await endpoint.stop();
  await recordAndWake(h, [statusChanged(tenantId, 'cust_a', 'A1'), statusChanged(tenantId, 'cust_b', 'B1')]);
  await recordAndWake(h, [statusChanged(tenantId, 'cust_a', 'A2')]);
  await new Promise((resolve) => setTimeout(resolve, 500));
  endpoint.respond = () => 500;
  await endpoint.start();
  await new Promise((resolve) => setTimeout(resolve, 500));
  endpoint.respond = () => 200;
  await eventually(() => acceptedStatuses(endpoint, 'cust_a').length === 2 && acceptedStatuses(endpoint, 'cust_b').length === 1);
  endpoint.respond = () => 410;
  await recordAndWake(h, [statusChanged(tenantId, 'cust_a', 'A3')]);
  expect(await handle.result()).toBe('GONE');
  saveHistory('webhook-catch-up-then-gone', await handle.fetchHistory());
});

it('records a retry window that closes, with the tenant alerted', async () => {
  const { endpoint, handle } = await subscribedReceiver('alerts@record.example');
  endpoint.respond = () => 503;
  await recordAndWake(h, [statusChanged(tenantId, 'cust_c', 'C1'), statusChanged(tenantId, 'cust_c', 'C2')]);
  expect(await handle.result()).toBe('FAILING');
  await waitForEmails(h.infra.inboxUrl, 'alerts@record.example');
  saveHistory('webhook-failing-alerted', await handle.fetchHistory());
});
