/**
 * Mail that can never be sent must not hold the onboarding. A notice refused forever (reminders) is dropped; a
 * verification code refused forever keeps being retried beside the lifecycle, never in its way: the deadline
 * still applies and the onboarding expires on time. A code asked for again that cannot be sent answers 503.
 */
import { onboardingWorkflowId } from '../../common/onboarding-contract';
import { startHarness, type Harness } from '../support/harness';
import { register, tenantWithSettings, waitForStatus } from '../support/journey';
import { DEAD_DOMAIN, deadAddress, refusingMailer } from '../support/refusing-mailer';

let h: Harness;
/** Subjects of the e-mails the double refused, one entry per attempt. */
const refused: string[] = [];
const CODE_SUBJECT = 'Your verification code';

beforeAll(async () => {
  // Dead mailboxes refuse everything; other addresses get their codes and refuse every other notice.
  const refuses = ({ to, subject }: { to: string; subject: string }) => to.endsWith(`@${DEAD_DOMAIN}`) || subject !== CODE_SUBJECT;
  h = await startHarness('notice_failures', { activityDeps: { mailer: refusingMailer(refuses, refused) } });
});
afterAll(() => h?.close());

it('expires the onboarding at its deadline although every reminder fails to send', async () => {
  const tenant = await tenantWithSettings(h, { reminderAfterSeconds: 1, expireAfterSeconds: 4 });
  const customer = await register(tenant);
  const registeredAt = Date.now();

  await waitForStatus(tenant, customer.path, 'EXPIRED', 12_000);
  expect(Date.now() - registeredAt).toBeLessThan(10_000);
  expect(refused).toContain('Finish opening your account');
  const row = await h.db('customers').where({ tenant_id: tenant.tenantId, id: customer.customerId }).first();
  expect(row.status).toBe('EXPIRED');
});

it('expires the onboarding at its deadline although the verification code itself can never be sent', async () => {
  const tenant = await tenantWithSettings(h, { reminderAfterSeconds: 1, expireAfterSeconds: 4 });
  const before = refused.filter((subject) => subject === CODE_SUBJECT).length;
  const customer = await register(tenant, { email: deadAddress() });
  const registeredAt = Date.now();

  await waitForStatus(tenant, customer.path, 'EXPIRED', 12_000);
  expect(Date.now() - registeredAt).toBeLessThan(10_000);
  expect(refused.filter((subject) => subject === CODE_SUBJECT).length).toBeGreaterThan(before);
  const row = await h.db('customers').where({ tenant_id: tenant.tenantId, id: customer.customerId }).first();
  expect(row.status).toBe('EXPIRED');
  // The code's retries stop with the step (the expiry notice, also refused, may still be retrying).
  const handle = h.temporal.workflow.getHandle(onboardingWorkflowId(tenant.tenantId, customer.customerId));
  const pendingCode = async () =>
    ((await handle.describe()).raw.pendingActivities ?? []).some((activity) => activity.activityType?.name === 'sendVerificationEmail');
  for (const stopBy = Date.now() + 2_000; (await pendingCode()) && Date.now() < stopBy; ) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await pendingCode()).toBe(false);
});

it('answers a code asked for again that cannot be sent with a 503 the tenant can retry, within the API deadline', async () => {
  const tenant = await tenantWithSettings(h, { resendCooldownSeconds: 1, reminderAfterSeconds: 60, expireAfterSeconds: 600 });
  const customer = await register(tenant, { email: deadAddress() });
  await new Promise((resolve) => setTimeout(resolve, 1_100));

  const askedAt = Date.now();
  const res = await tenant.call('POST', `${customer.path}/verify-email/resend`);
  expect(res.status).toBe(503);
  expect(res.body).toMatchObject({ error: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/code could not be sent/) });
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  // The workflow's own answer, not the API giving up on it (TEMPORAL_CALL_TIMEOUT_MS).
  expect(Date.now() - askedAt).toBeLessThan(h.config.TEMPORAL_CALL_TIMEOUT_MS);
  // The onboarding goes on: still waiting for the e-mail, and the next request after the cooldown is taken.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  expect((await tenant.call('POST', `${customer.path}/verify-email/resend`)).status).toBe(503);
  expect((await tenant.call('GET', `${customer.path}/onboarding`)).body.status).toBe('PENDING_EMAIL_VERIFICATION');
});
