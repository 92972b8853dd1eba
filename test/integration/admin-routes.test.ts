/**
 * The platform operator's routes around an onboarding, as the operator meets them: the staff KYC decision, a
 * tenant's settings, and the sandbox SMS outbox that production must not serve.
 */
import { startApiServer } from '../../api/server';
import { createLogger } from '../../common/logger';
import { expectInvalidState, expectValidationError } from '../support/expectations';
import { staffHeaders } from '../support/staff';
import { startHarness, type Harness } from '../support/harness';
import { readyForKyc, register, tenantWithSettings, waitForStatus } from '../support/journey';
import { createTenant, http, type TenantSession } from '../support/tenant-client';

const UNKNOWN_CUSTOMER = 'cust_000000000000000000000000';
const UNKNOWN_TENANT = 'tnt_000000000000000000000000';
const RESEND_COOLDOWN_SECONDS = 30;

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('admin_routes');
  tenant = await tenantWithSettings(h, { resendCooldownSeconds: RESEND_COOLDOWN_SECONDS });
});
afterAll(() => h?.close());

const adminHeaders = () => staffHeaders(h, 'PLATFORM_ADMIN');
const compliance = () => staffHeaders(h, 'COMPLIANCE_OFFICER');
const asAdmin = async (method: string, path: string, body?: unknown) => http(h.api.url, method, path, { body, headers: await adminHeaders() });

describe('POST /api/v2.1/admin/customers/{customerId}/kyc-decision', () => {
  const decision = { decision: 'APPROVE', reason: 'Documents checked by hand' };
  const decide = (customerId: string, headers: Record<string, string>) =>
    http(h.api.url, 'POST', `/api/v2.1/admin/customers/${customerId}/kyc-decision`, { body: decision, headers });

  it('refuses a call without a staff session with 401', async () => {
    const customer = await register(tenant);
    for (const headers of [{}, { authorization: 'Bearer not-the-admin-token' }, { authorization: `Bearer ${h.secrets.platformAdminToken}` }, tenant.headers]) {
      const res = await decide(customer.customerId, headers);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'UNAUTHORIZED', message: 'Missing or invalid staff session' });
    }
  });

  it('answers 404 for an unknown customer', async () => {
    const res = await decide(UNKNOWN_CUSTOMER, await compliance());
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'NOT_FOUND', message: 'Customer not found' });
  });

  it('answers 409 INVALID_STATE for a customer not in MANUAL_REVIEW, and records nothing', async () => {
    const customer = await register(tenant);
    expectInvalidState(await decide(customer.customerId, await compliance()), 'PENDING_EMAIL_VERIFICATION');
    expect(await h.db('kyc_verifications').where({ customer_id: customer.customerId })).toHaveLength(0);
    expect((await tenant.call('GET', `${customer.path}/onboarding`)).body.status).toBe('PENDING_EMAIL_VERIFICATION');
  });

  it('answers 409 INVALID_STATE for a customer whose onboarding has ended as ACTIVE', async () => {
    const customer = await readyForKyc(h, tenant);
    await tenant.call('POST', `${customer.path}/verification`);
    await waitForStatus(tenant, customer.path, 'KYC_APPROVED');
    expect((await tenant.call('POST', `${customer.path}/activation`)).body.status).toBe('ACTIVE');
    const res = await decide(customer.customerId, await compliance());
    expectInvalidState(res, 'ACTIVE');
    expect(res.body.details[1]).toEqual({ field: 'due', message: 'nothing: the onboarding has ended' });
    expect(await h.db('kyc_verifications').where({ customer_id: customer.customerId }).first()).toMatchObject({ status: 'APPROVED', reviewer: null });
  });
});

describe('/api/v2.1/admin/tenants/{tenantId}/settings', () => {
  const settingsPath = (tenantId: string) => `/api/v2.1/admin/tenants/${tenantId}/settings`;

  it('refuses GET and PUT without a staff session with 401', async () => {
    for (const headers of [{}, tenant.headers]) {
      for (const method of ['GET', 'PUT']) {
        const res = await http(h.api.url, method, settingsPath(tenant.tenantId), { headers, body: method === 'PUT' ? { resendCooldownSeconds: 1 } : undefined });
        expect(res.status).toBe(401);
        expect(res.body.error).toBe('UNAUTHORIZED');
      }
    }
    expect((await asAdmin('GET', settingsPath(tenant.tenantId))).body.resendCooldownSeconds).toBe(RESEND_COOLDOWN_SECONDS);
  });

  it('refuses an unknown consent type or a negative duration with 400 naming the field, and stores nothing', async () => {
    const session = await createTenant(h, 'Settings Bank');
    const before = (await asAdmin('GET', settingsPath(session.tenantId))).body;
    expectValidationError(await asAdmin('PUT', settingsPath(session.tenantId), { requiredConsents: ['COOKIES'] }), 'requiredConsents.0');
    expectValidationError(await asAdmin('PUT', settingsPath(session.tenantId), { resendCooldownSeconds: -5 }), 'resendCooldownSeconds');
    expect((await asAdmin('GET', settingsPath(session.tenantId))).body).toEqual(before);
  });

  it('answers 404 for an unknown tenant', async () => {
    for (const [method, body] of [['GET', undefined], ['PUT', { resendCooldownSeconds: 5 }]] as const) {
      const res = await asAdmin(method, settingsPath(UNKNOWN_TENANT), body);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'NOT_FOUND', message: 'Tenant not found' });
    }
  });

  it('GET returns what PUT stored, and a later PUT changes only what it names', async () => {
    const session = await createTenant(h, 'Stored Settings Bank');
    const first = { requiredConsents: ['TERMS_AND_CONDITIONS', 'MARKETING'], resendCooldownSeconds: 5, tosPoliciesUrl: 'https://bank.example/tos' };
    const put = await asAdmin('PUT', settingsPath(session.tenantId), first);
    expect(put.status).toBe(200);
    expect(put.body).toEqual(first);
    expect((await asAdmin('GET', settingsPath(session.tenantId))).body).toEqual(first);

    expect((await asAdmin('PUT', settingsPath(session.tenantId), { reminderAfterSeconds: 43_200 })).body).toEqual({ ...first, reminderAfterSeconds: 43_200 });
    const read = await asAdmin('GET', settingsPath(session.tenantId));
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ ...first, reminderAfterSeconds: 43_200 });
  });
});

describe('GET /api/v2.1/sandbox/sms in production', () => {
  it('is not mounted there (404) while the development API serves it (200)', async () => {
    const phone = '+14155550105';
    const path = `/api/v2.1/sandbox/sms?phone=${encodeURIComponent(phone)}`;
    // The production API built exactly as server.ts builds it, on this file's database and Temporal client.
    const production = await startApiServer({ ...h.config, NODE_ENV: 'production' }, h.secrets, { db: h.db, temporal: h.temporal, logger: createLogger('silent', 'test') }, 0);
    try {
      const customer = await register(tenant, { phone });
      // The same tenant token works there, so a 404 is about the route, not the caller.
      expect((await http(production.url, 'GET', `/api/v2.1/customer/${customer.customerId}`, { headers: tenant.headers })).status).toBe(200);
      const hidden = await http(production.url, 'GET', path, { headers: tenant.headers });
      expect(hidden.status).toBe(404);
      expect(hidden.body.error).toBe('NOT_FOUND');
      const documented = await http(production.url, 'GET', '/openapi.json');
      expect(Object.keys(documented.body.paths)).not.toContain('/api/v2.1/sandbox/sms');
    } finally {
      await production.close();
    }
    const development = await http(h.api.url, 'GET', path, { headers: tenant.headers });
    expect(development.status).toBe(200);
    expect(development.body).toEqual({ data: [] });
  });
});
