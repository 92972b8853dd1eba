import { onboardingWorkflowId } from '../../common/onboarding-contract';
import { staffHeaders } from '../support/staff';
import { startHarness, type Harness } from '../support/harness';
import { waitForEmails } from '../support/inbox';
import { createTenant, http, uniqueEmail, type TenantSession } from '../support/tenant-client';

const CUSTOMERS = '/api/v1/customers';

let h: Harness;
let tenant: TenantSession;
let apiKey: string;

beforeAll(async () => {
  h = await startHarness('v1');
  tenant = await createTenant(h);
  apiKey = (await issueKey(tenant.tenantId)).body.apiKey;
});
afterAll(() => h?.close());

const admin = () => staffHeaders(h, 'PLATFORM_ADMIN');
const issueKey = async (tenantId: string, label = 'web signup') =>
  http(h.api.url, 'POST', `/api/v2.1/admin/tenants/${tenantId}/api-keys`, { body: { label }, headers: await admin() });
const register = (body: unknown, key: string | undefined = apiKey) =>
  http(h.api.url, 'POST', CUSTOMERS, { body, headers: key === undefined ? {} : { 'x-api-key': key } });

/** Source document 000's example request; only the e-mail is made unique, since every test file shares one inbox. */
const seedRequest = (overrides: Record<string, unknown> = {}) => ({
  firstName: 'John',
  lastName: 'Doe',
  email: uniqueEmail('john.doe'),
  password: 'SecurePassword123!',
  captcha: '03AGdBq26FHIOiuI9...',
  termsAccepted: true,
  marketingConsent: false,
  ...overrides,
});

describe('POST /api/v2.1/admin/tenants/{tenantId}/api-keys', () => {
  it('issues a key that is shown once and stored only as a digest', async () => {
    const res = await issueKey(tenant.tenantId, 'mobile app');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      keyId: expect.stringMatching(/^key_[0-9a-f]{24}$/),
      apiKey: expect.stringMatching(/^ak_[A-Za-z0-9_-]{43}$/),
      prefix: res.body.apiKey.slice(0, 11),
      label: 'mobile app',
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
    const row = await h.db('api_keys').where({ id: res.body.keyId }).first();
    expect(row).toMatchObject({ tenant_id: tenant.tenantId, prefix: res.body.prefix, label: 'mobile app', revoked_at: null });
    expect(row.key_hash).not.toContain(res.body.apiKey.slice(3));
  });

  it('answers 404 for an unknown tenant, 400 without a label and 401 without the platform token', async () => {
    expect((await issueKey('tnt_000000000000000000000000')).status).toBe(404);
    const noLabel = await http(h.api.url, 'POST', `/api/v2.1/admin/tenants/${tenant.tenantId}/api-keys`, { body: {}, headers: await admin() });
    expect(noLabel.status).toBe(400);
    expect(noLabel.body.details).toEqual([{ field: 'label', message: 'Required' }]);
    const anonymous = await http(h.api.url, 'POST', `/api/v2.1/admin/tenants/${tenant.tenantId}/api-keys`, { body: { label: 'x' } });
    expect(anonymous.status).toBe(401);
  });
});

describe('POST /api/v1/customers', () => {
  it("registers document 000's example request and answers in exactly its response shape", async () => {
    const request = seedRequest();
    const res = await register(request);

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      customerId: expect.stringMatching(/^cust_[0-9a-f]{24}$/),
      email: request.email,
      firstName: 'John',
      lastName: 'Doe',
      status: 'PENDING_EMAIL_VERIFICATION',
      createdAt: expect.any(String),
      verificationEmailSent: true,
    });
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);

    // The key's tenant owns the customer, and the same onboarding workflow as v2.1 runs for it.
    const row = await h.db('customers').where({ id: res.body.customerId }).first();
    expect(row).toMatchObject({ tenant_id: tenant.tenantId, type: 'INDIVIDUAL', email: request.email, marketing_consent: false });
    expect(row.terms_accepted_at).not.toBeNull();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    const workflow = await h.temporal.workflow.getHandle(onboardingWorkflowId(tenant.tenantId, res.body.customerId)).describe();
    expect(workflow.status.name).toBe('RUNNING');

    const [email] = await waitForEmails(h.infra.inboxUrl, request.email);
    expect(email.subject).toBe('Your verification code');
  });

  it('refuses a missing or unknown API key with 401', async () => {
    const attempts: Array<Record<string, string>> = [{}, { 'x-api-key': 'ak_not-a-real-key' }, tenant.headers];
    for (const headers of attempts) {
      const res = await http(h.api.url, 'POST', CUSTOMERS, { body: seedRequest(), headers });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'UNAUTHORIZED', message: 'Missing or invalid API key' });
    }
  });

  it('refuses a revoked API key with 401', async () => {
    const issued = (await issueKey(tenant.tenantId, 'to revoke')).body;
    // An empty body gets past the guard and stops at validation: the key works until it is revoked.
    expect((await register({}, issued.apiKey)).status).toBe(400);
    await h.db('api_keys').where({ id: issued.keyId }).update({ revoked_at: h.db.fn.now() });
    const res = await register(seedRequest(), issued.apiKey);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('UNAUTHORIZED');
  });

  it('refuses a failed captcha with 400 naming the captcha, and stores nothing', async () => {
    const request = seedRequest({ captcha: 'invalid' });
    const res = await register(request);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'VALIDATION_ERROR',
      message: 'Invalid request parameters',
      details: [{ field: 'captcha', message: 'Captcha verification failed' }],
    });
    expect(await h.db('customers').whereRaw('lower(email) = ?', [request.email.toLowerCase()])).toHaveLength(0);
    // Nothing was reserved either: the same e-mail registers once the captcha is solved.
    expect((await register({ ...request, captcha: '03AGdBq26FHIOiuI9...' })).status).toBe(201);
  });

  it("refuses an e-mail already registered in the tenant with document 000's error body", async () => {
    const request = seedRequest();
    expect((await register(request)).status).toBe(201);
    const again = await register({ ...request, email: request.email.toUpperCase() });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      error: 'VALIDATION_ERROR',
      message: 'Invalid request parameters',
      details: [{ field: 'email', message: 'Email address is already registered' }],
    });
    expect(await h.db('customers').whereRaw('lower(email) = ?', [request.email.toLowerCase()])).toHaveLength(1);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a missing captcha', { captcha: undefined }, 'captcha', /Required/],
    ['terms not accepted', { termsAccepted: false }, 'termsAccepted', /must be accepted/],
    ['a weak password', { password: 'password' }, 'password', /10 to 128 characters/],
    ['a malformed e-mail', { email: 'john.doe@' }, 'email', /valid e-mail/],
    ['a phone number, which v1 does not take', { phone: '+14155552671' }, 'phone', /Unknown field/],
  ])('refuses %s with 400 VALIDATION_ERROR naming the field', async (_name, override, field, message) => {
    const request = seedRequest(override);
    const res = await register(request);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'VALIDATION_ERROR', message: 'Invalid request parameters', details: [{ field, message: expect.stringMatching(message) }] });
    expect(await h.db('customers').whereRaw('lower(email) = ?', [String(request.email).toLowerCase()])).toHaveLength(0);
  });
});
