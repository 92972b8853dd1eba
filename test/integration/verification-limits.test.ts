/**
 * Contact verification cannot be had without a code, nor guessed: the workflow accepts "verified" only after the
 * API consumed a code, each contact has a lifetime budget of wrong codes and a daily cap on codes sent, and tenant
 * settings cannot make reminders or codes unbounded.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { emailVerifiedUpdate, onboardingWorkflowId, phoneVerifiedUpdate } from '../../common/onboarding-contract';
import { staffHeaders } from '../support/staff';
import { startHarness, type Harness } from '../support/harness';
import { waitForEmails } from '../support/inbox';
import { codeIn, register, tenantWithSettings, verifyEmail } from '../support/journey';
import { createTenant, http, type TenantSession } from '../support/tenant-client';

const COOLDOWN_FLOOR = 2;
const REMINDER_FLOOR = 60;

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('codes', {
    env: { SETTINGS_MIN_REMINDER_SECONDS: String(REMINDER_FLOOR), SETTINGS_MIN_RESEND_COOLDOWN_SECONDS: String(COOLDOWN_FLOOR) },
  });
  tenant = await tenantWithSettings(h, { resendCooldownSeconds: COOLDOWN_FLOOR });
});
afterAll(() => h?.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends the update the way anyone holding a Temporal client could: no code involved. */
async function refusedDirectly(customerId: string, update: typeof emailVerifiedUpdate) {
  const handle = h.temporal.workflow.getHandle(onboardingWorkflowId(tenant.tenantId, customerId));
  const error = await handle.executeUpdate(update).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect((cause as ApplicationFailure).type).toBe('InvalidState');
}

async function statusOf(customerId: string) {
  const stored = await h.db('customers').where({ tenant_id: tenant.tenantId, id: customerId }).first('status');
  const onboarding = await tenant.call('GET', `/api/v2.1/customer/${customerId}/onboarding`);
  return { stored: stored.status, workflow: onboarding.body.status };
}

describe('proof of verification', () => {
  it('refuses "emailVerified" sent straight to Temporal without a consumed code, and moves nothing', async () => {
    const customer = await register(tenant, { phone: '+14155552671' });
    await waitForEmails(h.infra.inboxUrl, customer.email, 1);
    await refusedDirectly(customer.customerId, emailVerifiedUpdate);
    const pending = { stored: 'PENDING_EMAIL_VERIFICATION', workflow: 'PENDING_EMAIL_VERIFICATION' };
    expect(await statusOf(customer.customerId)).toEqual(pending);

    // The way a tenant does it still works, and leaves the consumed code as the proof.
    const verified = await verifyEmail(h, tenant, customer);
    expect(verified.status).toBe(200);
    expect(verified.body.status).toBe('PENDING_PHONE_VERIFICATION');
    const row = await h.db('verification_codes').where({ tenant_id: tenant.tenantId, customer_id: customer.customerId, channel: 'EMAIL' }).first();
    expect(row.consumed_at).toBeInstanceOf(Date);

    // The e-mail proof does not stand in for the phone's.
    await refusedDirectly(customer.customerId, phoneVerifiedUpdate);
    expect(await statusOf(customer.customerId)).toEqual({ stored: 'PENDING_PHONE_VERIFICATION', workflow: 'PENDING_PHONE_VERIFICATION' });
  });
});

describe('abuse limits on codes', () => {
  it('keeps counting wrong codes across resends (20 in all, then even the right code is refused) and sends at most 5 codes a day', async () => {
    const customer = await register(tenant);
    const tryCode = (code: string) => tenant.call('POST', `${customer.path}/verify-email`, { code });
    let wrong = 0;
    for (let sent = 1; sent <= 4; sent += 1) {
      await waitForEmails(h.infra.inboxUrl, customer.email, sent);
      for (let i = 0; i < 5; i += 1) {
        const res = await tryCode(String(100_000 + wrong++));
        expect(res.status).toBe(400);
      }
      await sleep(COOLDOWN_FLOOR * 1000 + 100);
      expect((await tenant.call('POST', `${customer.path}/verify-email/resend`)).status).toBe(202);
    }
    const emails = await waitForEmails(h.infra.inboxUrl, customer.email, 5);
    const right = codeIn(emails.at(-1)!.text);
    const locked = await tryCode(right);
    expect(locked.status).toBe(400);
    expect(locked.body.details).toEqual([{ field: 'code', message: expect.stringContaining('Too many wrong codes for this contact') }]);
    expect(await statusOf(customer.customerId)).toEqual({ stored: 'PENDING_EMAIL_VERIFICATION', workflow: 'PENDING_EMAIL_VERIFICATION' });

    await sleep(COOLDOWN_FLOOR * 1000 + 100);
    const capped = await tenant.call('POST', `${customer.path}/verify-email/resend`);
    expect(capped.status).toBe(429);
    expect(capped.body).toEqual({ error: 'RATE_LIMIT_EXCEEDED', message: expect.stringContaining('5 codes a day'), retryAfter: expect.any(Number) });
    expect(capped.body.retryAfter).toBeGreaterThan(86_400 - 120);
    expect(capped.body.retryAfter).toBeLessThanOrEqual(86_400);
    expect(capped.headers.get('retry-after')).toBe(String(capped.body.retryAfter));
    expect((await waitForEmails(h.infra.inboxUrl, customer.email, 5)).length).toBe(5);
  }, 60_000);
});

describe('tenant settings that would make reminders or codes unbounded', () => {
  const settingsPath = (tenantId: string) => `/api/v2.1/admin/tenants/${tenantId}/settings`;
  const put = (tenantId: string, body: unknown) =>
    staffHeaders(h, 'PLATFORM_ADMIN').then((headers) => http(h.api.url, 'PUT', settingsPath(tenantId), { body, headers }));
  const refusedNaming = (field: string) => ({ error: 'VALIDATION_ERROR', message: expect.any(String), details: [{ field, message: expect.any(String) }] });

  it('refuses values under the floors and an expiry over 100 reminders long, naming the field, and stores nothing', async () => {
    const session = await createTenant(h, 'Floors Bank');
    const cases: Array<[Record<string, number>, string]> = [
      [{ reminderAfterSeconds: REMINDER_FLOOR - 1 }, 'reminderAfterSeconds'],
      [{ resendCooldownSeconds: COOLDOWN_FLOOR - 1 }, 'resendCooldownSeconds'],
      // 30 days (the default expiry) / 1 hour = 720 reminders for one stalled step.
      [{ reminderAfterSeconds: 3600 }, 'reminderAfterSeconds'],
      [{ reminderAfterSeconds: 86_400, expireAfterSeconds: 101 * 86_400 }, 'reminderAfterSeconds'],
    ];
    for (const [body, field] of cases) {
      const res = await put(session.tenantId, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(refusedNaming(field));
    }
    expect((await put(session.tenantId, { reminderAfterSeconds: 86_400 })).status).toBe(200);
    const tooLong = await put(session.tenantId, { expireAfterSeconds: 101 * 86_400 });
    expect(tooLong.body).toEqual(refusedNaming('expireAfterSeconds'));
    const stored = await http(h.api.url, 'GET', settingsPath(session.tenantId), { headers: await staffHeaders(h, 'PLATFORM_ADMIN') });
    expect(stored.body).toEqual({ reminderAfterSeconds: 86_400 });
    expect((await put(session.tenantId, { expireAfterSeconds: 100 * 86_400, resendCooldownSeconds: COOLDOWN_FLOOR })).status).toBe(200);
  });
});
