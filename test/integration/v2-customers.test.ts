import { fieldCipherFor } from '../../common/field-encryption';
import { onboardingWorkflowId } from '../../common/onboarding-contract';
import { openTaxIds, TAX_ID_PURPOSE } from '../../common/tax-ids';
import { payloadCodecFor } from '../../common/temporal';
import { sealStoredTaxIds } from '../../scripts/seal-stored-tax-ids';
import { payloadTexts } from '../support/history';
import { v2Individual } from '../support/v2-individual';
import { startHarness, type Harness } from '../support/harness';
import { waitForEmails } from '../support/inbox';
import { CONSENTS, codeIn, tenantWithSettings, waitForStatus } from '../support/journey';
import { staffHeaders } from '../support/staff';
import { createTenant, http, type TenantSession } from '../support/tenant-client';

/** The registration answer's policies page for a tenant that configured none (api/individuals/v2-routes.ts). */
const DEFAULT_TOS_URL = 'https://onboarding.local/tos';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('v2');
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

const seedRequest = v2Individual;

describe('POST /v2/customers/individual', () => {
  it("answers seed 004's example with 201 { data: { customer_id, tos_policies_url } } and stores the whole profile", async () => {
    const request = seedRequest();
    const res = await tenant.call('POST', '/v2/customers/individual', request);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ data: { customer_id: expect.stringMatching(/^cust_/), tos_policies_url: expect.any(String) } });
    const url = new URL(res.body.data.tos_policies_url);
    expect(url.searchParams.get('customer_id')).toBe(res.body.data.customer_id);
    const profile = await h.db('customer_profiles').where({ customer_id: res.body.data.customer_id }).first();
    expect(profile).toMatchObject({ date_of_birth: '1990-04-15', nationality: 'USA', country_of_residence: 'USA' });
    expect(profile.details.financial_profile.occupation_id).toBe(42);
    const customer = await tenant.call('GET', `/v2/customer/${res.body.data.customer_id}`);
    expect(customer.body.data).toMatchObject({ status: 'PENDING_EMAIL_VERIFICATION', basic_info: { email: request.basic_info.email, dob: '1990-04-15' } });
  });

  it('keeps the tax id out of Temporal and out of plain columns, and shows it masked', async () => {
    const request = seedRequest();
    const res = await tenant.call('POST', '/v2/customers/individual', request);
    expect(res.status).toBe(201);
    const customerId = res.body.data.customer_id as string;
    const history = await h.temporal.workflow.getHandle(onboardingWorkflowId(tenant.tenantId, customerId)).fetchHistory();
    const decoded = (await payloadTexts(history, payloadCodecFor(h.secrets))).join('\n');
    expect(decoded).toContain('Garcia'); // the registration is there, decrypted ...
    expect(decoded).not.toContain('123-45-6789'); // ... but not the tax id
    const profile = await h.db('customer_profiles').where({ tenant_id: tenant.tenantId, customer_id: customerId }).first();
    expect(JSON.stringify(profile.details)).not.toContain('123-45-6789');
    expect(profile.tax_ids_encrypted).not.toContain('123-45-6789');
    expect(profile.tax_ids_encrypted).toMatch(/^test:/);
    expect(openTaxIds(fieldCipherFor(h.secrets, TAX_ID_PURPOSE), tenant.tenantId, customerId, profile.tax_ids_encrypted)).toEqual(
      request.basic_info.tax_info,
    );
    const customer = await tenant.call('GET', `/v2/customer/${customerId}`);
    expect(customer.body.data.basic_info.tax_info).toEqual([{ country_code: 'USA', document_type: 'SSN', document_id: '****6789' }]);
    expect(JSON.stringify(customer.body)).not.toContain('123-45-6789');
    expect(await h.db('registration_secrets').where({ tenant_id: tenant.tenantId })).toEqual([]);
  });

  it('seals the tax ids of profiles stored before they were encrypted (scripts/seal-stored-tax-ids.ts)', async () => {
    const request = seedRequest();
    const customerId = (await tenant.call('POST', '/v2/customers/individual', request)).body.data.customer_id as string;
    const where = { tenant_id: tenant.tenantId, customer_id: customerId };
    const stored = await h.db('customer_profiles').where(where).first('details');
    await h.db('customer_profiles').where(where).update({ // as a profile written before this change looked
      details: JSON.stringify({ ...stored.details, basic_info: { ...stored.details.basic_info, tax_info: request.basic_info.tax_info } }),
      tax_ids_encrypted: null,
      tax_ids_masked: null,
    });
    const cipher = fieldCipherFor(h.secrets, TAX_ID_PURPOSE);
    expect(await sealStoredTaxIds(h.db, cipher)).toBeGreaterThanOrEqual(1);
    const sealed = await h.db('customer_profiles').where(where).first();
    expect(JSON.stringify(sealed.details)).not.toContain('123-45-6789');
    expect(sealed.details.basic_info.first_name).toBe('Maria');
    expect(openTaxIds(cipher, tenant.tenantId, customerId, sealed.tax_ids_encrypted)).toEqual(request.basic_info.tax_info);
    expect(await sealStoredTaxIds(h.db, cipher)).toBe(0);
  });

  it('starts the onboarding with the profile complete: after contact verification only consents and KYC are due', async () => {
    const request = seedRequest({ basic_info: { phone: '+14155550123' } });
    const res = await tenant.call('POST', '/v2/customers/individual', request);
    const path = `/api/v2.1/customer/${res.body.data.customer_id}`;
    const [email] = await waitForEmails(h.infra.inboxUrl, request.basic_info.email as string);
    expect((await tenant.call('POST', `${path}/verify-email`, { code: codeIn(email.text) })).body.status).toBe('PENDING_PHONE_VERIFICATION');
    await tenant.call('POST', `${path}/verify-phone/send`);
    const sms = await tenant.call('GET', '/api/v2.1/sandbox/sms?phone=%2B14155550123');
    const verified = await tenant.call('POST', `${path}/verify-phone`, { code: codeIn(sms.body.data[0].body) });
    expect(verified.body.status).toBe('PENDING_CONSENTS');
    for (const type of CONSENTS) await tenant.call('POST', `${path}/consents/${type}`, { accepted: true, version: 'v1' });
    await tenant.call('POST', `${path}/verification`);
    await waitForStatus(tenant, path, 'KYC_APPROVED');
    expect((await tenant.call('POST', `${path}/activation`)).body.status).toBe('ACTIVE');
  });

  it('refuses RELIANCE with 423 unless the tenant enabled it', async () => {
    const res = await tenant.call('POST', '/v2/customers/individual', seedRequest({ verification_type: 'RELIANCE' }));
    expect(res.status).toBe(423);
    expect(res.body).toEqual({ error: 'LOCKED', message: 'RELIANCE is not available for your client' });
    const enabled = await tenantWithSettings(h, { relianceEnabled: true });
    expect((await enabled.call('POST', '/v2/customers/individual', seedRequest({ verification_type: 'RELIANCE' }))).status).toBe(201);
  });

  it('reads the tenants row once per registration, so a settings change applies to the very next one', async () => {
    const bank = await createTenant(h, 'Settings Bank');
    const register = (body: ReturnType<typeof seedRequest>) => bank.call('POST', '/v2/customers/individual', body);
    const changeSettings = async (settings: Record<string, unknown>) =>
      expect((await http(h.api.url, 'PUT', `/api/v2.1/admin/tenants/${bank.tenantId}/settings`, { body: settings, headers: await staffHeaders(h, 'PLATFORM_ADMIN') })).status).toBe(200);
    const tenantReads: string[] = [];
    const record = (query: { sql: string }) => void (/"tenants"/.test(query.sql) && tenantReads.push(query.sql));
    h.db.on('query', record);
    const first = await register(seedRequest()).finally(() => h.db.off('query', record));
    expect(first.status).toBe(201);
    expect(tenantReads).toHaveLength(1); // the guard's, with the credential check: settings, name and countries come with it
    expect(new URL(first.body.data.tos_policies_url).origin).toBe(new URL(DEFAULT_TOS_URL).origin);
    expect((await register(seedRequest({ verification_type: 'RELIANCE' }))).status).toBe(423);

    await changeSettings({ relianceEnabled: true, tosPoliciesUrl: 'https://bank.example/policies', requiredConsents: ['TERMS_AND_CONDITIONS'] });
    const next = await register(seedRequest({ verification_type: 'RELIANCE' }));
    expect(next.status).toBe(201);
    const url = new URL(next.body.data.tos_policies_url);
    expect(`${url.origin}${url.pathname}`).toBe('https://bank.example/policies');
    expect(url.searchParams.get('tos_policies_value')).toBe('TERMS_AND_CONDITIONS');

    await changeSettings({ relianceEnabled: false });
    expect((await register(seedRequest({ verification_type: 'RELIANCE' }))).status).toBe(423);
  });

  it('refuses unknown reference ids and an upper-case e-mail with 400 naming the field', async () => {
    const unknown = seedRequest({ financial_profile: { ...seedRequest().financial_profile, occupation_id: 99999 } });
    const res = await tenant.call('POST', '/v2/customers/individual', unknown);
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'financial_profile.occupation_id', message: expect.any(String) }]);
    const upper = await tenant.call('POST', '/v2/customers/individual', seedRequest({ basic_info: { email: 'Maria.Garcia@Example.com' } }));
    expect(upper.status).toBe(400);
    expect(upper.body.details).toEqual([{ field: 'basic_info.email', message: 'Email address must be all lowercase' }]);
  });
});

describe('v2 customer management', () => {
  it('lists customers by status with pagination', async () => {
    const other = await createTenant(h, 'Listing Bank');
    for (let i = 0; i < 3; i += 1) await other.call('POST', '/v2/customers/individual', seedRequest());
    const page = await other.call('GET', '/v2/customer/status/PENDING_EMAIL_VERIFICATION?page=1&page_size=2');
    expect(page.status).toBe(200);
    expect(page.body.data).toHaveLength(2);
    expect(page.body.pagination).toEqual({ page: 1, page_size: 2, total: 3 });
    const second = await other.call('GET', '/v2/customer/status/PENDING_EMAIL_VERIFICATION?page=2&page_size=2');
    expect(second.body.data).toHaveLength(1);
    expect((await other.call('GET', '/v2/customer/status/NOT_A_STATUS')).status).toBe(400);
  });

  it('lets the tenant suspend and reactivate only an active customer, and records the history', async () => {
    const created = await tenant.call('POST', '/v2/customers/individual', seedRequest());
    const id = created.body.data.customer_id;
    const early = await tenant.call('PUT', `/v2/persons/${id}/SUSPENDED`);
    expect(early.status).toBe(409);
    expect(early.body.error).toBe('INVALID_STATE');
    await h.db('customers').where({ id }).update({ status: 'ACTIVE' });
    expect((await tenant.call('PUT', `/v2/persons/${id}/SUSPENDED`)).body.data.status).toBe('SUSPENDED');
    expect((await tenant.call('PUT', `/v2/persons/${id}/ACTIVE`)).body.data.status).toBe('ACTIVE');
    expect((await tenant.call('PUT', `/v2/persons/${id}/CLOSED`)).status).toBe(200);
    expect((await tenant.call('PUT', `/v2/persons/${id}/ACTIVE`)).status).toBe(409);
    const history = await tenant.call('GET', `/v2/verification-history/${id}`);
    expect(history.body.data.statuses.map((s: { status: string }) => s.status)).toEqual(['PENDING_EMAIL_VERIFICATION', 'SUSPENDED', 'ACTIVE', 'CLOSED']);
    const nosy = await createTenant(h, 'Nosy');
    expect((await nosy.call('PUT', `/v2/persons/${id}/SUSPENDED`)).status).toBe(404);
    expect((await nosy.call('GET', `/v2/verification-history/${id}`)).status).toBe(404);
  });

  it('serves the reference data with stable ids', async () => {
    const occupations = await tenant.call('GET', '/v2/reference/occupations');
    expect(occupations.status).toBe(200);
    expect(occupations.body.data).toEqual(expect.arrayContaining([expect.objectContaining({ id: 42 })]));
    for (const kind of ['account-purposes', 'source-of-funds']) {
      expect((await tenant.call('GET', `/v2/reference/${kind}`)).body.data.length).toBeGreaterThan(0);
    }
    expect((await http(h.api.url, 'GET', '/v2/reference/occupations')).status).toBe(401);
  });
});
