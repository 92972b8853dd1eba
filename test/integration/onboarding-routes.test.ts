/**
 * The onboarding routes as a tenant meets them: each route's happy path and each
 * documented error that the lifecycle, v1 and v2 suites leave uncovered (the operator's routes: admin-routes.test.ts).
 */
import { staffHeaders } from '../support/staff';
import { startHarness, type Harness } from '../support/harness';
import { waitForEmails } from '../support/inbox';
import { CONSENTS, PROFILE, readyForKyc, register, tenantWithSettings, verifyEmail, waitForStatus } from '../support/journey';
import { expectInvalidState, expectValidationError } from '../support/expectations';
import { createTenant, http, registration, type TenantSession } from '../support/tenant-client';

const RESEND_COOLDOWN_SECONDS = 30;
const REQUIRED_CONSENTS_DUE = CONSENTS.map((type) => `CONSENT:${type}`);

let h: Harness;
let tenant: TenantSession;
let otherTenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('routes');
  tenant = await tenantWithSettings(h, { resendCooldownSeconds: RESEND_COOLDOWN_SECONDS });
  otherTenant = await createTenant(h, 'Other Bank');
});
afterAll(() => h?.close());

const adminHeaders = () => staffHeaders(h, 'PLATFORM_ADMIN');
const asAdmin = async (method: string, path: string, body?: unknown) => http(h.api.url, method, path, { body, headers: await adminHeaders() });
const subjects = async (email: string, count: number) => (await waitForEmails(h.infra.inboxUrl, email, count)).map((e) => e.subject);

/** A customer whose e-mail is verified: at PENDING_PHONE_VERIFICATION with a phone, else at PENDING_PROFILE. */
async function emailVerifiedCustomer(session: TenantSession, overrides: Record<string, unknown> = {}) {
  const customer = await register(session, overrides);
  const verified = await verifyEmail(h, session, customer);
  expect(verified.status).toBe(200);
  return customer;
}

describe('POST /api/v1/customers end to end', () => {
  it('takes a customer registered with a tenant API key through the v2.1 steps to ACTIVE, with the verification, KYC-approved and welcome e-mails', async () => {
    const issued = await asAdmin('POST', `/api/v2.1/admin/tenants/${tenant.tenantId}/api-keys`, { label: 'web signup' });
    expect(issued.status).toBe(201);
    const body = registration();
    const registered = await http(h.api.url, 'POST', '/api/v1/customers', { body, headers: { 'x-api-key': issued.body.apiKey } });
    expect(registered.status).toBe(201);
    expect(registered.body.status).toBe('PENDING_EMAIL_VERIFICATION');
    const customer = { customerId: registered.body.customerId as string, email: body.email, path: `/api/v2.1/customer/${registered.body.customerId}` };

    // v1 takes no phone, so the profile follows the e-mail directly.
    expect((await verifyEmail(h, tenant, customer)).body.status).toBe('PENDING_PROFILE');
    expect((await tenant.call('PUT', `/v2/profile/${customer.customerId}`, PROFILE)).body.status).toBe('PENDING_CONSENTS');
    for (const type of CONSENTS) {
      expect((await tenant.call('POST', `${customer.path}/consents/${type}`, { accepted: true, version: '2026-01' })).status).toBe(201);
    }
    expect((await tenant.call('GET', `${customer.path}/onboarding`)).body).toMatchObject({ status: 'PENDING_KYC', due: ['KYC'] });
    expect((await tenant.call('POST', `${customer.path}/verification`)).status).toBe(202);
    await waitForStatus(tenant, customer.path, 'KYC_APPROVED');
    const activated = await tenant.call('POST', `${customer.path}/activation`);
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({ customerId: customer.customerId, status: 'ACTIVE', due: [] });

    expect(await subjects(customer.email, 3)).toEqual(['Your verification code', 'Your identity is verified', 'Welcome: your account is active']);
    expect(await h.db('customers').where({ id: customer.customerId }).first()).toMatchObject({ tenant_id: tenant.tenantId, status: 'ACTIVE' });
  });
});

describe('GET /api/v2.1/customer/{customerId}/onboarding', () => {
  it('right after registration: PENDING_EMAIL_VERIFICATION, the e-mail code and the three required consents due, one history row', async () => {
    const customer = await register(tenant);
    const res = await tenant.call('GET', `${customer.path}/onboarding`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      customerId: customer.customerId,
      status: 'PENDING_EMAIL_VERIFICATION',
      due: ['EMAIL_VERIFICATION', ...REQUIRED_CONSENTS_DUE],
      consents: [],
      lifecycleStatus: 'ONBOARDING',
      requirements: { currentlyDue: ['EMAIL_VERIFICATION', ...REQUIRED_CONSENTS_DUE], pendingVerification: [], errors: [] },
      history: [{ status: 'PENDING_EMAIL_VERIFICATION', at: expect.any(String) }],
    });
    expect(new Date(res.body.history[0].at).toISOString()).toBe(res.body.history[0].at);
  });

  it("asks only for TERMS_AND_CONDITIONS from customers registered after the tenant's settings require only it", async () => {
    const session = await createTenant(h, 'Terms Only Bank');
    const before = await register(session);
    const changed = await asAdmin('PUT', `/api/v2.1/admin/tenants/${session.tenantId}/settings`, { requiredConsents: ['TERMS_AND_CONDITIONS'] });
    expect(changed.status).toBe(200);
    const after = await register(session);

    expect((await session.call('GET', `${after.path}/onboarding`)).body.due).toEqual(['EMAIL_VERIFICATION', 'CONSENT:TERMS_AND_CONDITIONS']);
    // An onboarding already running keeps the policy it began with.
    expect((await session.call('GET', `${before.path}/onboarding`)).body.due).toEqual(['EMAIL_VERIFICATION', ...REQUIRED_CONSENTS_DUE]);

    expect((await verifyEmail(h, session, after)).body.due).toEqual(['PROFILE', 'CONSENT:TERMS_AND_CONDITIONS']);
    expect((await session.call('PUT', `/v2/profile/${after.customerId}`, PROFILE)).body).toMatchObject({
      status: 'PENDING_CONSENTS',
      due: ['CONSENT:TERMS_AND_CONDITIONS'],
    });
    const terms = await session.call('POST', `${after.path}/consents/TERMS_AND_CONDITIONS`, { accepted: true, version: '2026-01' });
    expect(terms.body).toMatchObject({ status: 'PENDING_KYC', due: ['KYC'] });
  });
});

describe('/v2/profile/{customerId}', () => {
  it('GET after PUT returns the stored profile', async () => {
    const customer = await emailVerifiedCustomer(tenant);
    const profile = { ...PROFILE, address: { ...PROFILE.address, street_line_2: 'Apt 4B' } };
    const saved = await tenant.call('PUT', `/v2/profile/${customer.customerId}`, profile);
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ profileId: customer.customerId, status: 'PENDING_CONSENTS', due: REQUIRED_CONSENTS_DUE, changed_fields: expect.arrayContaining(['basic_info.dob', 'address.street_line_2']), profile: expect.objectContaining({ address: profile.address }) });

    const res = await tenant.call('GET', `/v2/profile/${customer.customerId}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ customer_id: customer.customerId, status: 'PENDING_CONSENTS' });
    expect(res.body.data.basic_info).toMatchObject({ email: customer.email, ...profile.basic_info });
    // What a tenant PUT is what it reads back, in the same field names.
    expect(res.body.data.address).toEqual(profile.address);
  });

  describe('PUT refuses invalid input at the edge with 400 naming the field', () => {
    let customer: { customerId: string };
    beforeAll(async () => {
      // Still at PENDING_EMAIL_VERIFICATION: the workflow would answer 409, so a 400 shows the edge refused first.
      customer = await register(tenant);
    });
    afterAll(async () => {
      expect(await h.db('customer_profiles').where({ customer_id: customer.customerId })).toHaveLength(0);
    });

    const minorDob = () => {
      const date = new Date();
      date.setUTCFullYear(date.getUTCFullYear() - 17);
      return date.toISOString().slice(0, 10);
    };

    it.each<[string, () => Record<string, unknown>, string]>([
      ["a minor's dob", () => ({ basic_info: { ...PROFILE.basic_info, dob: minorDob() } }), 'basic_info.dob'],
      ['an impossible date', () => ({ basic_info: { ...PROFILE.basic_info, dob: '1990-02-30' } }), 'basic_info.dob'],
      ['an address country other than country_of_residence', () => ({ address: { ...PROFILE.address, subdivision_code: undefined, country: 'CAN' } }), 'address.country'],
      ['an alpha-2 country code', () => ({ basic_info: { ...PROFILE.basic_info, primary_nationality: 'US' } }), 'basic_info.primary_nationality'],
      ['a subdivision of another country', () => ({ address: { ...PROFILE.address, subdivision_code: 'CA-ON' } }), 'address.subdivision_code'],
      ['the old field nationality', () => ({ nationality: 'USA' }), 'nationality'],
    ])('%s', async (_name, override, field) => {
      const res = await tenant.call('PUT', `/v2/profile/${customer.customerId}`, { ...PROFILE, ...override() });
      expectValidationError(res, field);
    });
  });

  it('PUT answers 409 INVALID_STATE before the e-mail is verified, and stores nothing', async () => {
    const customer = await register(tenant);
    const res = await tenant.call('PUT', `/v2/profile/${customer.customerId}`, PROFILE);
    expectInvalidState(res, 'PENDING_EMAIL_VERIFICATION');
    expect(await h.db('customer_profiles').where({ customer_id: customer.customerId })).toHaveLength(0);
  });

  it('PUT answers 409 INVALID_STATE once KYC has started (consents too), and the stored profile stays', async () => {
    // "Silent": the provider never decides, so the onboarding stays at KYC_IN_PROGRESS.
    const customer = await readyForKyc(h, tenant, { lastName: 'Silent' });
    expect((await tenant.call('POST', `${customer.path}/verification`)).status).toBe(202);

    const moved = { ...PROFILE, address: { ...PROFILE.address, city: 'Los Angeles', postal_code: '90001' } };
    expectInvalidState(await tenant.call('PUT', `/v2/profile/${customer.customerId}`, moved), 'KYC_IN_PROGRESS');
    expectInvalidState(await tenant.call('POST', `${customer.path}/consents/MARKETING`, { accepted: true, version: '2026-01' }), 'KYC_IN_PROGRESS');
    const stored = await h.db('customer_profiles').where({ customer_id: customer.customerId }).first();
    expect(stored.address).toMatchObject({ city: 'San Francisco' });
    expect(await h.db('consents').where({ customer_id: customer.customerId, type: 'MARKETING' })).toHaveLength(0);
  });

  it("answers 404 for another tenant's customer, on PUT and GET", async () => {
    const customer = await emailVerifiedCustomer(tenant);
    const put = await otherTenant.call('PUT', `/v2/profile/${customer.customerId}`, PROFILE);
    expect(put.status).toBe(404);
    expect(put.body).toEqual({ error: 'NOT_FOUND', message: expect.any(String) });
    expect((await otherTenant.call('GET', `/v2/profile/${customer.customerId}`)).status).toBe(404);
    expect(await h.db('customer_profiles').where({ customer_id: customer.customerId })).toHaveLength(0);
    expect((await tenant.call('GET', `${customer.path}/onboarding`)).body.status).toBe('PENDING_PROFILE');
  });
});

describe('POST /api/v2.1/customer/{customerId}/consents/{type}', () => {
  const consent = (customer: { path: string }, type: string, body: unknown) => tenant.call('POST', `${customer.path}/consents/${type}`, body);
  const storedConsents = (customerId: string) => h.db('consents').where({ customer_id: customerId });

  it('refuses an unknown consent type with 400 naming the type', async () => {
    const customer = await register(tenant);
    expectValidationError(await consent(customer, 'COOKIES', { accepted: true, version: '2026-01' }), 'type');
    expect(await storedConsents(customer.customerId)).toHaveLength(0);
  });

  it('refuses accepted: false with 400', async () => {
    const customer = await register(tenant);
    expectValidationError(await consent(customer, 'PRIVACY_POLICY', { accepted: false, version: '2026-01' }), 'accepted', 'Only an acceptance can be recorded');
    expect(await storedConsents(customer.customerId)).toHaveLength(0);
  });

  it('refuses a consent without a version with 400', async () => {
    const customer = await register(tenant);
    expectValidationError(await consent(customer, 'PRIVACY_POLICY', { accepted: true }), 'version', 'Required');
    expect(await storedConsents(customer.customerId)).toHaveLength(0);
  });

  it('answers the same consent given twice (same version) with 201 both times and stores one row', async () => {
    const customer = await register(tenant);
    for (let i = 0; i < 2; i += 1) {
      const res = await consent(customer, 'TERMS_AND_CONDITIONS', { accepted: true, version: '2026-01' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ consents: ['TERMS_AND_CONDITIONS'], due: ['EMAIL_VERIFICATION', 'CONSENT:PRIVACY_POLICY', 'CONSENT:DATA_PROCESSING'] });
    }
    expect(await storedConsents(customer.customerId)).toHaveLength(1);
    const listed = await tenant.call('GET', `${customer.path}/consents`);
    expect(listed.body.data).toEqual([
      { type: 'TERMS_AND_CONDITIONS', version: '2026-01', acceptedAt: expect.any(String), withdrawnAt: null, withdrawnBy: null, withdrawalReason: null },
    ]);
  });

  it('accepts MARKETING, which no tenant requires by default, without changing what is due', async () => {
    const customer = await emailVerifiedCustomer(tenant);
    const before = (await tenant.call('GET', `${customer.path}/onboarding`)).body;
    expect(before.due).toEqual(['PROFILE', ...REQUIRED_CONSENTS_DUE]);
    const res = await consent(customer, 'MARKETING', { accepted: true, version: 'm-1' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ customerId: customer.customerId, status: before.status, due: before.due, consents: ['MARKETING'] });
    expect(await storedConsents(customer.customerId)).toEqual([expect.objectContaining({ type: 'MARKETING', version: 'm-1' })]);
  });
});

describe("every onboarding step answers 404 for another tenant's customer", () => {
  let customer: { customerId: string; path: string };
  beforeAll(async () => {
    customer = await register(tenant, { phone: '+14155550104' });
  });

  it.each<[string, string, unknown]>([
    ['POST', '/verify-email/resend', undefined],
    ['POST', '/verify-phone/send', undefined],
    ['POST', '/verify-phone', { code: '123456' }],
    ['POST', '/consents/TERMS_AND_CONDITIONS', { accepted: true, version: '2026-01' }],
    ['GET', '/consents', undefined],
    ['POST', '/verification', undefined],
    ['POST', '/activation', undefined],
  ])('%s %s', async (method, step, body) => {
    const res = await otherTenant.call(method, `${customer.path}${step}`, body);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'NOT_FOUND', message: expect.any(String) });
    expect(await h.db('consents').where({ customer_id: customer.customerId })).toHaveLength(0);
  });
});
