import { randomUUID } from 'node:crypto';
import { staffCredential, staffHeaders } from '../support/staff';
import { startHarness, type Harness } from '../support/harness';
import { emailsTo, waitForEmails } from '../support/inbox';
import { readyForKyc, waitForStatus } from '../support/journey';
import { createTenant, http, registration, type TenantSession } from '../support/tenant-client';

const REGISTER = '/api/v2.1/customer/individual/registration';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('idempotency');
});
afterAll(() => h?.close());

const withKey = (tenant: TenantSession, key: string) => ({ ...tenant.headers, 'idempotency-key': key });
const post = (tenant: TenantSession, path: string, key: string, body?: unknown) => http(h.api.url, 'POST', path, { body, headers: withKey(tenant, key) });
const customersWith = (tenantId: string, email: string) => h.db('customers').where({ tenant_id: tenantId }).whereRaw('lower(email) = ?', [email]);

async function workflowsOf(tenantId: string): Promise<number> {
  let count = 0;
  for await (const _ of h.temporal.workflow.list({ query: `TenantId = "${tenantId}"` })) count++;
  return count;
}

describe('Idempotency-Key on registration (v2.1)', () => {
  it('replays the original 201 to a retry: one customer, one workflow, one verification e-mail', async () => {
    const tenant = await createTenant(h);
    const request = registration();
    const key = randomUUID();

    const first = await post(tenant, REGISTER, key, request);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    await waitForEmails(h.infra.inboxUrl, request.email);

    // The same JSON with its keys in another order is the same request.
    const reordered = Object.fromEntries(Object.entries(request).reverse());
    const retry = await post(tenant, REGISTER, key, reordered);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');

    expect(await customersWith(tenant.tenantId, request.email)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await workflowsOf(tenant.tenantId)).toBe(1);
    expect((await emailsTo(h.infra.inboxUrl, request.email)).filter((e) => e.subject === 'Your verification code')).toHaveLength(1);
  });

  it('refuses the same key with another body (422) or on another route, and writes nothing', async () => {
    const tenant = await createTenant(h);
    const key = randomUUID();
    const first = await post(tenant, REGISTER, key, registration());
    expect(first.status).toBe(201);

    const other = registration();
    const reused = await post(tenant, REGISTER, key, other);
    expect(reused.status).toBe(422);
    expect(reused.body).toEqual({ error: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String) });
    expect(await customersWith(tenant.tenantId, other.email)).toHaveLength(0);

    const elsewhere = await post(tenant, `/api/v2.1/customer/${first.body.customerId}/verify-email/resend`, key);
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.error).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('lets one of two concurrent requests with one key do the work; the other gets 409 IN_USE or the replay', async () => {
    const tenant = await createTenant(h);
    const request = registration();
    const key = randomUUID();

    const answers = await Promise.all([post(tenant, REGISTER, key, request), post(tenant, REGISTER, key, request)]);
    const statuses = answers.map((a) => a.status).sort();
    expect([[201, 409], [201, 201]]).toContainEqual(statuses);
    const inUse = answers.find((a) => a.status === 409);
    if (inUse) {
      expect(inUse.body).toEqual({ error: 'IDEMPOTENCY_KEY_IN_USE', message: expect.any(String) });
      expect(inUse.headers.get('retry-after')).toBe('1');
    } else {
      expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(1);
    }
    expect(await customersWith(tenant.tenantId, request.email)).toHaveLength(1);
  });

  it('keeps keys per tenant: the same key in another tenant is a new request', async () => {
    const [a, b] = [await createTenant(h), await createTenant(h)];
    const key = randomUUID();
    const request = registration();
    expect((await post(a, REGISTER, key, request)).status).toBe(201);

    const inB = await post(b, REGISTER, key, request);
    expect(inB.status).toBe(201);
    expect(inB.headers.get('idempotent-replayed')).toBeNull();
    expect(await customersWith(b.tenantId, request.email)).toHaveLength(1);
  });

  it('forgets a key after 24 h: an expired key does the work again', async () => {
    const tenant = await createTenant(h);
    const request = registration();
    const key = randomUUID();
    expect((await post(tenant, REGISTER, key, request)).status).toBe(201);
    await h.db('idempotency_keys').where({ tenant_id: tenant.tenantId, key }).update({ expires_at: h.db.raw("now() - interval '1 second'") });

    const again = await post(tenant, REGISTER, key, request);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status).toBe(400); // the work ran again and met the first registration's e-mail
    expect(again.body.details).toEqual([{ field: 'email', message: 'Email address is already registered' }]);
  });

  it('takes over a claim whose process died mid-request once it is 2 minutes old', async () => {
    const tenant = await createTenant(h);
    const request = registration();
    const key = randomUUID();
    // What a crash leaves behind: a claim that never finished. Its fingerprint is this request's, as a retry's is.
    expect((await post(tenant, REGISTER, key, request)).status).toBe(201);
    // Free the address, so the re-run the takeover allows is not refused as a duplicate.
    await h.db('customers').where({ tenant_id: tenant.tenantId }).update({ email: 'moved.away@example.com' });
    const crashed = { state: 'IN_PROGRESS', response_status: null, response: null, claim_token: 'crashed' };
    const row = h.db('idempotency_keys').where({ tenant_id: tenant.tenantId, key });

    await row.clone().update({ ...crashed, created_at: h.db.raw("now() - interval '30 seconds'") });
    expect((await post(tenant, REGISTER, key, request)).status).toBe(409);

    await row.clone().update({ created_at: h.db.raw("now() - interval '3 minutes'") });
    const retried = await post(tenant, REGISTER, key, request);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(await row.clone().first()).toMatchObject({ state: 'COMPLETED', response_status: 201 });
  });

  it('keeps no answer that asks for a retry (429): the key is released and a retry runs again', async () => {
    const tenant = await createTenant(h);
    const registered = await post(tenant, REGISTER, randomUUID(), registration());
    const resend = `/api/v2.1/customer/${registered.body.customerId}/verify-email/resend`;
    const key = randomUUID();

    const tooSoon = await post(tenant, resend, key);
    expect(tooSoon.status).toBe(429);
    expect(await h.db('idempotency_keys').where({ tenant_id: tenant.tenantId, key })).toHaveLength(0);
    const again = await post(tenant, resend, key);
    expect(again.status).toBe(429);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });

  it('refuses a malformed key with 400 VALIDATION_ERROR naming the header, before any work', async () => {
    const tenant = await createTenant(h);
    const request = registration();
    for (const key of ['', 'x'.repeat(256)]) {
      const res = await post(tenant, REGISTER, key, request);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'VALIDATION_ERROR', details: [{ field: 'Idempotency-Key', message: expect.any(String) }] });
    }
    expect(await customersWith(tenant.tenantId, request.email)).toHaveLength(0);
  });

  it('stores the answer encrypted: no e-mail or name in the row', async () => {
    const tenant = await createTenant(h);
    const request = registration({ lastName: 'Plaintextcheck' });
    const key = randomUUID();
    expect((await post(tenant, REGISTER, key, request)).status).toBe(201);
    const row = await h.db('idempotency_keys').where({ tenant_id: tenant.tenantId, key }).first();
    expect(row).toMatchObject({ state: 'COMPLETED', response_status: 201, credential_id: `oauth:${tenant.clientId}` });
    const stored = (row.response as Buffer).toString('latin1');
    expect(stored).not.toContain(request.email);
    expect(stored).not.toContain('Plaintextcheck');
  });
});

describe('Idempotency-Key on onboarding steps', () => {
  it('replays a consent and a KYC start without recording or submitting twice', async () => {
    const tenant = await createTenant(h);
    const customer = await readyForKyc(h, tenant);
    const consentPath = `${customer.path}/consents/MARKETING`;
    const consentKey = randomUUID();
    const consent = await post(tenant, consentPath, consentKey, { accepted: true, version: '2026-02' });
    expect(consent.status).toBe(201);
    const consentAgain = await post(tenant, consentPath, consentKey, { accepted: true, version: '2026-02' });
    expect(consentAgain.status).toBe(201);
    expect(consentAgain.body).toEqual(consent.body);
    expect(consentAgain.headers.get('idempotent-replayed')).toBe('true');
    expect(await h.db('consents').where({ tenant_id: tenant.tenantId, customer_id: customer.customerId, type: 'MARKETING' })).toHaveLength(1);

    const kycKey = randomUUID();
    const kyc = await post(tenant, `${customer.path}/verification`, kycKey);
    expect(kyc.status).toBe(202);
    const kycAgain = await post(tenant, `${customer.path}/verification`, kycKey);
    expect(kycAgain.status).toBe(202);
    expect(kycAgain.body).toEqual(kyc.body);
    expect(kycAgain.headers.get('idempotent-replayed')).toBe('true');
    expect(await h.db('kyc_verifications').where({ tenant_id: tenant.tenantId, customer_id: customer.customerId })).toHaveLength(1);
  });
});

describe('Idempotency-Key with the platform admin token', () => {
  it('replays a KYC decision instead of deciding twice', async () => {
    const tenant = await createTenant(h);
    const customer = await readyForKyc(h, tenant, { lastName: 'Review' });
    expect((await tenant.call('POST', `${customer.path}/verification`)).status).toBe(202);
    await waitForStatus(tenant, customer.path, 'MANUAL_REVIEW');

    const headers = { ...(await staffHeaders(h, 'COMPLIANCE_OFFICER')), 'idempotency-key': randomUUID() };
    const decide = () => http(h.api.url, 'POST', `/api/v2.1/admin/customers/${customer.customerId}/kyc-decision`, {
      body: { decision: 'APPROVE', reason: 'Documents checked by hand' },
      headers,
    });
    const first = await decide();
    expect(first.status).toBe(200);
    const retry = await decide();
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await h.db('idempotency_keys').where({ key: headers['idempotency-key'] }).first()).toMatchObject({
      tenant_id: 'platform',
      credential_id: await staffCredential(h, 'COMPLIANCE_OFFICER'),
    });
  });
});

describe('Idempotency-Key on v1 (X-API-Key) and v2 registration', () => {
  it('replays a v1 registration per API key', async () => {
    const tenant = await createTenant(h);
    const admin = await staffHeaders(h, 'PLATFORM_ADMIN');
    const issued = await http(h.api.url, 'POST', `/api/v2.1/admin/tenants/${tenant.tenantId}/api-keys`, { body: { label: 'v1' }, headers: admin });
    const headers = { 'x-api-key': issued.body.apiKey, 'idempotency-key': 'v1-retry-1' };
    const request = registration();

    const first = await http(h.api.url, 'POST', '/api/v1/customers', { body: request, headers });
    expect(first.status).toBe(201);
    const retry = await http(h.api.url, 'POST', '/api/v1/customers', { body: request, headers });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await customersWith(tenant.tenantId, request.email)).toHaveLength(1);
  });

  it('replays a v2 registration', async () => {
    const tenant = await createTenant(h);
    const email = `v2.${randomUUID().slice(0, 8)}@example.com`;
    const request = {
      verification_type: 'STANDARD',
      basic_info: {
        first_name: 'Maria', last_name: 'Garcia', dob: '1990-04-15', email, phone: '+14155552671',
        country_of_residence: 'USA', primary_nationality: 'USA', gender: 'FEMALE',
      },
      address: { street_line_1: '123 Market Street', city: 'San Francisco', subdivision_code: 'US-CA', postal_code: '94103', country: 'USA' },
      financial_profile: {
        employment_status: 'EMPLOYED', occupation_id: 42, purpose_id: 3, source_of_funds_description: 'Monthly salary',
        source_of_fund_ids: [1], monthly_volume_usd: 5000,
      },
    };
    const key = randomUUID();
    const first = await post(tenant, '/v2/customers/individual', key, request);
    expect(first.status).toBe(201);
    const retry = await post(tenant, '/v2/customers/individual', key, request);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await customersWith(tenant.tenantId, email)).toHaveLength(1);
  });
});

describe('Idempotency-Key in the OpenAPI document', () => {
  it('is declared on the POSTs that take it, with their 409 and 422 answers, and nowhere else', async () => {
    const { body: doc } = await http(h.api.url, 'GET', '/openapi.json');
    const takesKey = (operation: { parameters?: Array<{ in: string; name: string }> }) =>
      (operation.parameters ?? []).some((p) => p.in === 'header' && p.name === 'Idempotency-Key');

    for (const path of [REGISTER, '/api/v1/customers', '/v2/customers/individual', '/api/v2.1/customer/{customerId}/verification']) {
      expect(takesKey(doc.paths[path].post)).toBe(true);
      expect(Object.keys(doc.paths[path].post.responses)).toEqual(expect.arrayContaining(['409', '422']));
    }
    expect(takesKey(doc.paths['/api/v2.1/admin/tenants'].post)).toBe(false);
    expect(takesKey(doc.paths['/api/v2.1/oauth/token'].post)).toBe(false);
    expect(takesKey(doc.paths['/api/v2.1/customer/{customerId}'].get)).toBe(false);
  });
});
