/**
 * A receiver that never answers 2xx: once the retry window (1.5 s here, 3 days by default) has passed since the
 * first attempt, the delivery is FAILED, the subscription disabled as FAILING with what it still owed cancelled,
 * and the tenant is told once at the subscription's alert address. Its own file: the window is this harness's
 * setting, and the catch-up tests need a longer one.
 */
import { randomBytes } from 'node:crypto';
import { webhookDeliveryWorkflowId } from '../../common/webhook-contract';
import { startHarness, type Harness } from '../support/harness';
import { emailsTo, waitForEmails } from '../support/inbox';
import { createTenant } from '../support/tenant-client';
import { createTestSubscription, eventually, recordAndWake, startReceiver, statusChanged, type Receiver } from '../support/webhooks';

const WINDOW_MS = 1_500;
let h: Harness;
let tenantId: string;
let endpoint: Receiver;

beforeAll(async () => {
  h = await startHarness('webhook_failing', {
    env: {
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_RETRY_INITIAL_MS: '100',
      WEBHOOK_RETRY_MAX_INTERVAL_MS: '300',
      WEBHOOK_RETRY_WINDOW_MS: String(WINDOW_MS),
    },
  });
  tenantId = (await createTenant(h, 'Failing Bank')).tenantId;
  endpoint = await startReceiver(() => 503);
});

afterAll(async () => {
  await endpoint?.stop();
  await h?.close();
});

async function failingSubscription(alertEmail?: string) {
  const subscription = await createTestSubscription(h, tenantId, { url: endpoint.url, alertEmail });
  endpoint.secret = subscription.secret;
  await recordAndWake(h, [statusChanged(tenantId, 'cust_f', 'F1'), statusChanged(tenantId, 'cust_f', 'F2')]);
  const handle = h.temporal.workflow.getHandle(webhookDeliveryWorkflowId(tenantId, subscription.id));
  await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', 30_000);
  return { subscription, result: await handle.result(), runId: (await handle.describe()).runId };
}

const subscriptionRow = (id: string) => h.db('webhook_subscriptions').where({ tenant_id: tenantId, id }).first();

it('fails the delivery after the retry window, disables the subscription as FAILING and alerts the tenant once', async () => {
  const alertEmail = `alerts-${randomBytes(4).toString('hex')}@tenant.example`;
  const { subscription, result, runId } = await failingSubscription(alertEmail);
  expect(result).toBe('FAILING');

  const [failed, cancelled] = await h.db('webhook_deliveries').where({ tenant_id: tenantId, subscription_id: subscription.id }).orderBy('event_seq');
  expect(failed).toMatchObject({ status: 'FAILED' });
  expect(failed.attempts).toBeGreaterThanOrEqual(3);
  expect(failed.completed_at.getTime() - failed.first_attempt_at.getTime()).toBeGreaterThanOrEqual(WINDOW_MS);
  expect(cancelled).toMatchObject({ status: 'CANCELLED', attempts: 0 });
  const attempts = await h.db('webhook_delivery_attempts').where({ tenant_id: tenantId, delivery_id: failed.id });
  expect(attempts).toHaveLength(failed.attempts);
  expect(attempts.every((row) => row.status_code === 503)).toBe(true);
  expect(await subscriptionRow(subscription.id)).toMatchObject({ enabled: false, disabled_reason: 'FAILING', disabled_at: expect.any(Date) });

  const [alert] = await waitForEmails(h.infra.inboxUrl, alertEmail);
  expect(alert!.subject).toBe('Your webhook subscription was disabled');
  expect(alert!.text).toContain(subscription.id);
  expect(alert!.text).toContain(endpoint.url);
  expect(alert!.text).not.toContain('cust_f');

  // Woken again (a new run finds it disabled and alerts again): the same disablement is not mailed twice.
  await h.activityDeps.webhookWake(tenantId, [subscription.id]);
  const again = h.temporal.workflow.getHandle(webhookDeliveryWorkflowId(tenantId, subscription.id));
  await eventually(async () => {
    const run = await again.describe();
    return run.runId !== runId && run.status.name === 'COMPLETED';
  });
  expect(await again.result()).toBe('FAILING');
  expect(await emailsTo(h.infra.inboxUrl, alertEmail)).toHaveLength(1);
  expect(await h.db('webhook_alert_emails').where({ tenant_id: tenantId, subscription_id: subscription.id })).toEqual([
    expect.objectContaining({ template: 'webhook-disabled-failing', sent_at: expect.any(Date) }),
  ]);
});

it('disables a failing subscription without an alert address just the same, visibly', async () => {
  const { subscription, result } = await failingSubscription();
  expect(result).toBe('FAILING');
  expect(await subscriptionRow(subscription.id)).toMatchObject({ enabled: false, disabled_reason: 'FAILING' });
  expect(await h.db('webhook_alert_emails').where({ tenant_id: tenantId, subscription_id: subscription.id })).toHaveLength(0);
});
