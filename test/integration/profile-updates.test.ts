/**
 * PUT /v2/profile/{profileId} after the onboarding: an ACTIVE customer's profile is saved directly in seed 004's
 * sections with registration's rules, tax ids sealed and masked, each change in the history (fields, actor, time:
 * never values); a new e-mail starts a contact change (202); a customer no longer active is refused (409).
 */
import { fieldCipherFor } from '../../common/field-encryption';
import { openTaxIds, TAX_ID_PURPOSE } from '../../common/tax-ids';
import { startHarness, type Harness } from '../support/harness';
import { waitForEmails } from '../support/inbox';
import { activeCustomer, PROFILE, register, tenantWithSettings, verifyEmail } from '../support/journey';
import { expectValidationError } from '../support/expectations';
import { changeTenantAccess } from '../support/tenancy';
import { createTenant, uniqueEmail, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;
let otherTenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('profile-updates');
  tenant = await tenantWithSettings(h, { categories: { definitions: [{ code: 'PREMIUM', rule: { minMonthlyVolumeUsd: 10_000 } }, { code: 'RETAIL' }], default: 'RETAIL' } });
  otherTenant = await createTenant(h, 'Other Bank');
});
afterAll(() => h?.close());

const FINANCIAL = { employment_status: 'EMPLOYED', occupation_id: 42, purpose_id: 3, source_of_fund_ids: [1, 5], monthly_volume_usd: 5000 };
const put = (customerId: string, body: unknown, as = tenant) => as.call('PUT', `/v2/profile/${customerId}`, body);
const row = (customerId: string) => h.db('customer_profiles').where({ tenant_id: tenant.tenantId, customer_id: customerId }).first();
const history = (customerId: string) => h.db('profile_changes').where({ tenant_id: tenant.tenantId, customer_id: customerId }).orderBy('id');

describe('an ACTIVE customer', () => {
  let customer: { customerId: string; email: string; path: string };
  beforeAll(async () => {
    customer = await activeCustomer(h, tenant);
  });

  it('saves names with their _en twins, a new address and a financial profile, and records which fields changed and who changed them', async () => {
    const before = (await history(customer.customerId)).length;
    const address = { street_line_1: 'Улица Ленина 5', street_line_1_en: 'Ulitsa Lenina 5', city: 'Boston', subdivision_code: 'US-MA', postal_code: '02108', country: 'USA' };
    const res = await put(customer.customerId, { basic_info: { first_name: 'Мария', first_name_en: 'Maria', gender: 'FEMALE' }, address, financial_profile: FINANCIAL, meta_data: { reference: 'ref-7' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      profileId: customer.customerId,
      status: 'ACTIVE',
      due: [],
      changed_fields: expect.arrayContaining(['basic_info.first_name', 'basic_info.first_name_en', 'basic_info.gender', 'address.city', 'address.street_line_1_en', 'financial_profile.occupation_id', 'meta_data.reference']),
      // Answered with the profile as GET /v2/profile shows it.
      profile: expect.objectContaining({ customer_id: customer.customerId, basic_info: expect.objectContaining({ first_name: 'Мария', first_name_en: 'Maria' }), financial_profile: FINANCIAL }),
    });
    expect(res.body.changed_fields).not.toContain('basic_info.last_name');

    const stored = await row(customer.customerId);
    expect(stored.address).toMatchObject({ line1: 'Ulitsa Lenina 5', city: 'Boston', subdivisionCode: 'US-MA' });
    expect(stored.details).toMatchObject({ basic_info: { first_name: 'Мария', first_name_en: 'Maria', last_name: 'Doe', email: customer.email }, address, financial_profile: FINANCIAL });
    expect(await h.db('customers').where({ id: customer.customerId }).first('first_name', 'last_name')).toEqual({ first_name: 'Maria', last_name: 'Doe' });

    const rows = await history(customer.customerId);
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({ source: 'PROFILE_UPDATE', actor: `tenant:oauth:${tenant.clientId}`, fields: res.body.changed_fields });
    expect(JSON.stringify(rows)).not.toMatch(/Maria|Boston|Lenina/);
  });

  it('drops a stored _en twin when the name comes again without one, and answers 200 with nothing changed for the same values', async () => {
    expect((await put(customer.customerId, { basic_info: { first_name: 'Mary' } })).body.changed_fields).toEqual(['basic_info.first_name', 'basic_info.first_name_en']);
    expect((await row(customer.customerId)).details.basic_info.first_name_en).toBeUndefined();
    const count = (await history(customer.customerId)).length;
    const same = await put(customer.customerId, { basic_info: { first_name: 'Mary', email: customer.email } });
    expect(same.status).toBe(200);
    expect(same.body.changed_fields).toEqual([]);
    expect(await history(customer.customerId)).toHaveLength(count);
  });

  it("re-applies the tenant's category rules when the monthly volume changes", async () => {
    expect(await h.db('customers').where({ id: customer.customerId }).first('category')).toEqual({ category: 'RETAIL' });
    const res = await put(customer.customerId, { financial_profile: { ...FINANCIAL, monthly_volume_usd: 20_000 } });
    expect(res.body.changed_fields).toEqual(['financial_profile.monthly_volume_usd']);
    expect(res.body.profile.category).toBe('PREMIUM');
    expect(await h.db('customers').where({ id: customer.customerId }).first('category')).toEqual({ category: 'PREMIUM' });
  });

  it('seals tax ids as registration does and keeps only the masked form readable', async () => {
    const taxInfo = [{ country_code: 'USA', document_type: 'SSN', document_id: '987-65-4321' }];
    const res = await put(customer.customerId, { basic_info: { tax_info: taxInfo } });
    expect(res.body.changed_fields).toEqual(['basic_info.tax_info']);
    const stored = await row(customer.customerId);
    expect(stored.tax_ids_encrypted).not.toContain('987-65-4321');
    expect(JSON.stringify(stored.details)).not.toContain('987-65-4321');
    expect(openTaxIds(fieldCipherFor(h.secrets, TAX_ID_PURPOSE), tenant.tenantId, customer.customerId, stored.tax_ids_encrypted)).toEqual(taxInfo);
    expect(stored.tax_ids_masked).toEqual([{ ...taxInfo[0], document_id: '****4321' }]);
    expect((await put(customer.customerId, { basic_info: { tax_info: taxInfo } })).body.changed_fields).toEqual([]);
  });

  it('lists the history newest first with a cursor, and answers 404 for another tenant', async () => {
    const first = await tenant.call('GET', `/v2/profile/${customer.customerId}/changes?limit=1`);
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual([{ fields: ['basic_info.tax_info'], source: 'PROFILE_UPDATE', actor: `tenant:oauth:${tenant.clientId}`, changed_at: expect.any(String) }]);
    const next = await tenant.call('GET', `/v2/profile/${customer.customerId}/changes?limit=100&cursor=${first.body.next_cursor}`);
    // Older: the twin dropped, the names changed, and the profile the onboarding took.
    expect(next.body.data.map((c: { fields: string[] }) => c.fields)).toEqual([
      ['financial_profile.monthly_volume_usd'],
      ['basic_info.first_name', 'basic_info.first_name_en'],
      expect.arrayContaining(['basic_info.first_name', 'basic_info.gender']),
      expect.arrayContaining(['basic_info.dob', 'address.city']),
    ]);
    expect(next.body.next_cursor).toBeNull();
    expectValidationError(await tenant.call('GET', `/v2/profile/${customer.customerId}/changes?cursor=abc`), 'cursor');
    expect((await otherTenant.call('GET', `/v2/profile/${customer.customerId}/changes`)).status).toBe(404);
  });

  it.each<[string, () => unknown, string]>([
    ['no section', () => ({}), 'body'],
    ['an upper-case e-mail', () => ({ basic_info: { email: 'New@Example.com' } }), 'basic_info.email'],
    ['a non-Latin name without its _en twin', () => ({ basic_info: { last_name: 'Гарсия' } }), 'basic_info.last_name'],
    ['a residence the stored address does not match', () => ({ basic_info: { country_of_residence: 'CAN' } }), 'basic_info.country_of_residence'],
    ['an address in another country than the residence', () => ({ address: { ...PROFILE.address, subdivision_code: undefined, country: 'CAN' } }), 'address.country'],
    ['a subdivision of another country', () => ({ address: { ...PROFILE.address, subdivision_code: 'CA-ON' } }), 'address.subdivision_code'],
    ['an unknown occupation id', () => ({ financial_profile: { ...FINANCIAL, occupation_id: 99_999 } }), 'financial_profile.occupation_id'],
    ['an incomplete financial profile', () => ({ financial_profile: { employment_status: 'EMPLOYED' } }), 'financial_profile.occupation_id'],
  ])('refuses %s with 400 naming the field, and changes nothing', async (_name, body, field) => {
    const before = await row(customer.customerId);
    const res = await put(customer.customerId, body());
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'VALIDATION_ERROR', details: expect.arrayContaining([{ field, message: expect.any(String) }]) });
    expect(await row(customer.customerId)).toEqual(before);
  });

  it("refuses a residence outside the tenant's countries of operation", async () => {
    await changeTenantAccess(h, tenant.tenantId, { countries: ['US'] });
    try {
      const res = await put(customer.customerId, { basic_info: { country_of_residence: 'DEU' }, address: { street_line_1: 'Hauptstr. 1', city: 'Berlin', country: 'DEU' } });
      expectValidationError(res, 'basic_info.country_of_residence');
    } finally {
      await changeTenantAccess(h, tenant.tenantId, { countries: null });
    }
  });

  it('starts a contact change for a new e-mail (202) and saves the rest at once; the e-mail itself waits for its code', async () => {
    const email = uniqueEmail('moved');
    const res = await put(customer.customerId, { basic_info: { email, gender: 'OTHER' } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ changed_fields: ['basic_info.gender'], contact_changes: [{ change_id: expect.stringMatching(/^chg_[0-9a-f]{24}$/), channel: 'EMAIL', status: 'PENDING_VERIFICATION', expires_at: expect.any(String) }] });
    expect(await h.db('customers').where({ id: customer.customerId }).first('email')).toEqual({ email: customer.email });
    expect((await waitForEmails(h.infra.inboxUrl, email, 1))[0].subject).toBe('Confirm your new e-mail address');
  });

  it("refuses another customer's e-mail with 400 before saving anything", async () => {
    const other = await register(tenant);
    const before = await row(customer.customerId);
    const res = await put(customer.customerId, { basic_info: { email: other.email, gender: 'MALE' } });
    expectValidationError(res, 'email', 'Email address is already registered');
    expect(await row(customer.customerId)).toEqual(before);
  });

  it("answers 404 for another tenant's customer", async () => {
    const res = await put(customer.customerId, { basic_info: { gender: 'MALE' } }, otherTenant);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'NOT_FOUND', message: expect.any(String) });
  });
});

it('refuses a SUSPENDED customer with 409 INVALID_STATE and stores nothing', async () => {
  const customer = await activeCustomer(h, tenant);
  expect((await tenant.call('PUT', `/v2/persons/${customer.customerId}/SUSPENDED`)).status).toBe(200);
  const before = await row(customer.customerId);
  const res = await put(customer.customerId, { basic_info: { gender: 'MALE' } });
  expect(res.status).toBe(409);
  expect(res.body).toEqual({ error: 'INVALID_STATE', message: expect.any(String), details: [{ field: 'status', message: 'SUSPENDED' }] });
  expect(await row(customer.customerId)).toEqual(before);
});

it('refuses a new e-mail during the onboarding with 409, and takes the rest of seed 004 there through the workflow', async () => {
  const customer = await register(tenant);
  expect((await verifyEmail(h, tenant, customer)).status).toBe(200);
  const withEmail = await put(customer.customerId, { ...PROFILE, basic_info: { ...PROFILE.basic_info, email: uniqueEmail() } });
  expect(withEmail.status).toBe(409);
  expect(withEmail.body).toMatchObject({ error: 'INVALID_STATE', details: [{ field: 'status', message: 'PENDING_PROFILE' }] });
  const missing = await put(customer.customerId, { address: PROFILE.address });
  expect(missing.status).toBe(400);
  expect(missing.body.details.map((d: { field: string }) => d.field)).toEqual(['basic_info.dob', 'basic_info.primary_nationality', 'basic_info.country_of_residence']);

  const res = await put(customer.customerId, { ...PROFILE, basic_info: { ...PROFILE.basic_info, last_name: 'Smith', gender: 'MALE' }, financial_profile: FINANCIAL });
  expect(res.status).toBe(200);
  expect(res.body.status).toBe('PENDING_CONSENTS');
  expect((await row(customer.customerId)).details).toMatchObject({ basic_info: { gender: 'MALE', last_name: 'Smith' }, financial_profile: FINANCIAL });
  expect(await h.db('customers').where({ id: customer.customerId }).first('last_name')).toEqual({ last_name: 'Smith' });
});
