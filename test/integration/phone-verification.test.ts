/**
 * Phone verification as a tenant meets it (the step after the e-mail code when a phone was given): the send's
 * state check and cooldown, a wrong code, and the sandbox outbox kept per tenant. Split from onboarding-routes.
 */
import { startHarness, type Harness } from '../support/harness';
import { CONSENTS, codeIn, register, tenantWithSettings, verifyEmail } from '../support/journey';
import { expectValidationError } from '../support/expectations';
import { createTenant, type TenantSession } from '../support/tenant-client';

const RESEND_COOLDOWN_SECONDS = 30;
const REQUIRED_CONSENTS_DUE = CONSENTS.map((type) => `CONSENT:${type}`);

let h: Harness;
let tenant: TenantSession;
let otherTenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('phone_verification');
  tenant = await tenantWithSettings(h, { resendCooldownSeconds: RESEND_COOLDOWN_SECONDS });
  otherTenant = await createTenant(h, 'Other Bank');
});
afterAll(() => h?.close());

const sandboxSms = (session: TenantSession, phone: string) => session.call('GET', `/api/v2.1/sandbox/sms?phone=${encodeURIComponent(phone)}`);

/** A customer whose e-mail is verified: at PENDING_PHONE_VERIFICATION with a phone, else at PENDING_PROFILE. */
async function emailVerifiedCustomer(session: TenantSession, overrides: Record<string, unknown> = {}) {
  const customer = await register(session, overrides);
  const verified = await verifyEmail(h, session, customer);
  expect(verified.status).toBe(200);
  return customer;
}

/** A customer with a phone, e-mail verified and one phone code sent; returns the code from the sandbox outbox. */
async function phoneCodeSent(phone: string) {
  const customer = await emailVerifiedCustomer(tenant, { phone });
  expect((await tenant.call('POST', `${customer.path}/verify-phone/send`)).status).toBe(202);
  const sms = await sandboxSms(tenant, phone);
  return { customer, code: codeIn(sms.body.data[0].body) };
}

describe('phone verification', () => {
  it('answers verify-phone/send with 409 for a customer registered without a phone: the workflow is at PENDING_PROFILE, no phone step due', async () => {
    const customer = await emailVerifiedCustomer(tenant);
    const res = await tenant.call('POST', `${customer.path}/verify-phone/send`);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: 'INVALID_STATE',
      message: expect.any(String),
      details: [
        { field: 'status', message: 'PENDING_PROFILE' },
        { field: 'due', message: ['PROFILE', ...REQUIRED_CONSENTS_DUE].join(', ') },
      ],
    });
  });

  it('answers a second send within the cooldown with 429 and retryAfter, and sends one SMS', async () => {
    const phone = '+14155550101';
    const customer = await emailVerifiedCustomer(tenant, { phone });
    expect((await tenant.call('POST', `${customer.path}/verify-phone/send`)).status).toBe(202);
    const again = await tenant.call('POST', `${customer.path}/verify-phone/send`);
    expect(again.status).toBe(429);
    expect(again.body).toEqual({ error: 'RATE_LIMIT_EXCEEDED', message: expect.any(String), retryAfter: expect.any(Number) });
    expect(again.body.retryAfter).toBeGreaterThan(0);
    expect(again.body.retryAfter).toBeLessThanOrEqual(RESEND_COOLDOWN_SECONDS);
    expect(again.headers.get('retry-after')).toBe(String(again.body.retryAfter));
    expect((await sandboxSms(tenant, phone)).body.data).toHaveLength(1);
  });

  it('refuses a wrong phone code with 400 and keeps the right one valid', async () => {
    const { customer, code } = await phoneCodeSent('+14155550102');
    const wrong = await tenant.call('POST', `${customer.path}/verify-phone`, { code: code === '123456' ? '654321' : '123456' });
    expectValidationError(wrong, 'code', 'The code is not correct');
    expect((await tenant.call('GET', `${customer.path}/onboarding`)).body.status).toBe('PENDING_PHONE_VERIFICATION');
    const right = await tenant.call('POST', `${customer.path}/verify-phone`, { code });
    expect(right.status).toBe(200);
    expect(right.body.status).toBe('PENDING_PROFILE');
  });

  it("GET /api/v2.1/sandbox/sms shows another tenant nothing of the first tenant's messages to a phone", async () => {
    const phone = '+14155550103';
    await phoneCodeSent(phone);
    const own = await sandboxSms(tenant, phone);
    expect(own.body.data).toEqual([{ phone, body: expect.stringMatching(/code is \d{6}/), sentAt: expect.any(String) }]);
    const foreign = await sandboxSms(otherTenant, phone);
    expect(foreign.status).toBe(200);
    expect(foreign.body).toEqual({ data: [] });
  });
});
