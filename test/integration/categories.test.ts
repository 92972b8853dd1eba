/**
 * Categorization: the tenant's rules applied at registration (v2, v2.1, organizations), explicit assignment and
 * the way back to the rules (PUT /v2/customer/{customerId}/category), `recategorize` after a profile change, and
 * the list filter on the stored column.
 */
import { createCategoryAssignment } from '../../api/profiles/category-assignment';
import { createTenantSettingsService } from '../../api/tenancy/tenant-settings';
import { startHarness, type Harness } from '../support/harness';
import { register, tenantWithSettings } from '../support/journey';
import { registerOrganization } from '../support/organization-journey';
import { expectValidationError } from '../support/expectations';
import { staffHeaders } from '../support/staff';
import { v2Individual } from '../support/v2-individual';
import { createTenant, http, type TenantSession } from '../support/tenant-client';

const CATEGORIES = {
  definitions: [
    { code: 'PREMIUM', label: 'Premium', rule: { minMonthlyVolumeUsd: 10_000, customerTypes: ['INDIVIDUAL'] } },
    { code: 'CORPORATE', rule: { customerTypes: ['ORGANIZATION'] } },
    { code: 'VIP' },
    { code: 'RETAIL' },
  ],
  default: 'RETAIL',
};

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('categories');
  tenant = await tenantWithSettings(h, { categories: CATEGORIES });
});
afterAll(() => h?.close());

const stored = (id: string) => h.db('customers').where({ id }).first('category', 'category_source', 'category_assigned_at');
const putCategory = (session: TenantSession, id: string, category: unknown) => session.call('PUT', `/v2/customer/${id}/category`, { category });

async function registerV2(session: TenantSession, monthlyVolumeUsd: number): Promise<string> {
  const res = await session.call('POST', '/v2/customers/individual', v2Individual({ financial_profile: { monthly_volume_usd: monthlyVolumeUsd } }));
  expect(res.status).toBe(201);
  return res.body.data.customer_id;
}

describe('the tenant setting', () => {
  it('refuses a default that is not one of the codes, naming the field', async () => {
    const res = await http(h.api.url, 'PUT', `/api/v2.1/admin/tenants/${tenant.tenantId}/settings`, {
      body: { categories: { definitions: [{ code: 'VIP' }], default: 'RETAIL' } },
      headers: await staffHeaders(h, 'PLATFORM_ADMIN'),
    });
    expectValidationError(res, 'categories.default');
  });
});

describe('at registration', () => {
  it('applies the first matching rule, else the default, and stores it as RULE', async () => {
    const premium = await registerV2(tenant, 20_000);
    expect(await stored(premium)).toEqual({ category: 'PREMIUM', category_source: 'RULE', category_assigned_at: expect.any(Date) });
    expect((await tenant.call('GET', `/v2/customer/${premium}`)).body.data.category).toBe('PREMIUM');
    expect(await stored(await registerV2(tenant, 9_999))).toMatchObject({ category: 'RETAIL', category_source: 'RULE' });
    // v2.1 states no volume: the volume rule fails, the default applies.
    expect(await stored((await register(tenant)).customerId)).toMatchObject({ category: 'RETAIL', category_source: 'RULE' });
    expect(await stored((await registerOrganization(tenant)).id)).toMatchObject({ category: 'CORPORATE', category_source: 'RULE' });
  });

  it('stores no category for a tenant without categories', async () => {
    const plain = await createTenant(h, 'Plain Bank');
    expect(await stored(await registerV2(plain, 20_000))).toEqual({ category: null, category_source: null, category_assigned_at: null });
  });
});

describe('PUT /v2/customer/{customerId}/category', () => {
  it('assigns a category explicitly, lists it under that category, and hands it back to the rules with null', async () => {
    const id = await registerV2(tenant, 20_000);
    const assigned = await putCategory(tenant, id, 'VIP');
    expect(assigned.status).toBe(200);
    expect(assigned.body).toEqual({ data: { customer_id: id, category: 'VIP', category_source: 'EXPLICIT', category_assigned_at: expect.any(String) } });
    expect(await stored(id)).toMatchObject({ category: 'VIP', category_source: 'EXPLICIT' });
    const listed = await tenant.call('GET', '/v2/customer/profiles?category=VIP');
    expect(listed.body.data.map((row: { customer_id: string }) => row.customer_id)).toEqual([id]);

    const back = await putCategory(tenant, id, null);
    expect(back.body.data).toEqual({ customer_id: id, category: 'PREMIUM', category_source: 'RULE', category_assigned_at: expect.any(String) });
    expect(await stored(id)).toMatchObject({ category: 'PREMIUM', category_source: 'RULE' });
  });

  it("assigns an organization's category too", async () => {
    const org = await registerOrganization(tenant);
    expect((await putCategory(tenant, org.id, 'VIP')).body.data).toMatchObject({ customer_id: org.id, category: 'VIP', category_source: 'EXPLICIT' });
  });

  it.each<[string, unknown, string]>([
    ["a code the tenant did not define", { category: 'GOLD' }, 'category'],
    ['a malformed code', { category: 'vip' }, 'category'],
    ['no category field', {}, 'category'],
    ['an unknown field', { category: 'VIP', source: 'EXPLICIT' }, 'source'],
  ])('answers 400 for %s, and changes nothing', async (_name, body, field) => {
    const id = await registerV2(tenant, 1);
    expectValidationError(await tenant.call('PUT', `/v2/customer/${id}/category`, body), field);
    expect(await stored(id)).toMatchObject({ category: 'RETAIL', category_source: 'RULE' });
  });

  it("answers 404 for another tenant's customer and changes nothing; 400 for a malformed id", async () => {
    const id = await registerV2(tenant, 1);
    const other = await tenantWithSettings(h, { categories: CATEGORIES });
    const res = await putCategory(other, id, 'VIP');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'NOT_FOUND', message: 'Customer not found' });
    expect(await stored(id)).toMatchObject({ category: 'RETAIL', category_source: 'RULE' });
    expectValidationError(await putCategory(tenant, 'cust_nope', 'VIP'), 'customerId');
    const anonymous = await http(h.api.url, 'PUT', `/v2/customer/${id}/category`, { body: { category: 'VIP' } });
    expect(anonymous.status).toBe(401);
    expect(await stored(id)).toMatchObject({ category: 'RETAIL', category_source: 'RULE' });
  });
});

describe('recategorize (after a profile change)', () => {
  const assignment = () => createCategoryAssignment({ db: h.db, tenantSettings: createTenantSettingsService(h.db, { reminderAfterSeconds: 1, resendCooldownSeconds: 1 }) });
  const raiseVolume = (id: string) =>
    h.db('customer_profiles').where({ customer_id: id }).update({ details: h.db.raw(`jsonb_set(details, '{financial_profile,monthly_volume_usd}', '50000')`) });

  it('re-applies the rules to a RULE category, and leaves an EXPLICIT one alone', async () => {
    const [ruled, explicit] = [await registerV2(tenant, 1), await registerV2(tenant, 1)];
    await putCategory(tenant, explicit, 'VIP');
    await Promise.all([raiseVolume(ruled), raiseVolume(explicit)]);
    expect(await assignment().recategorize(tenant.tenantId, ruled)).toMatchObject({ category: 'PREMIUM', category_source: 'RULE' });
    expect(await assignment().recategorize(tenant.tenantId, explicit)).toMatchObject({ category: 'VIP', category_source: 'EXPLICIT' });
    await expect(assignment().recategorize((await createTenant(h, 'Stranger')).tenantId, ruled)).rejects.toMatchObject({ status: 404 });
  });

  it('does not move existing customers when the rules change, until something re-applies them', async () => {
    const changing = await tenantWithSettings(h, { categories: CATEGORIES });
    const id = await registerV2(changing, 20_000);
    const stricter = { ...CATEGORIES, definitions: [{ code: 'PREMIUM', rule: { minMonthlyVolumeUsd: 1_000_000 } }, ...CATEGORIES.definitions.slice(1)] };
    await http(h.api.url, 'PUT', `/api/v2.1/admin/tenants/${changing.tenantId}/settings`, { body: { categories: stricter }, headers: await staffHeaders(h, 'PLATFORM_ADMIN') });
    expect(await stored(id)).toMatchObject({ category: 'PREMIUM' });
    expect(await assignment().recategorize(changing.tenantId, id)).toMatchObject({ category: 'RETAIL', category_source: 'RULE' });
  });
});

describe('migrations', () => {
  it('roll back and forward: the category columns, their checks and the list indexes', async () => {
    const { migrationSource } = await import('../../migrations');
    const indexes = () => h.db('pg_indexes').where({ tablename: 'customers' }).pluck('indexname');
    const mine = ['20261128010200_drop_customers_tenant_status_index', '20261128010100_customer_list_indexes', '20261128010000_customers_category'];
    for (const name of mine) await h.db.migrate.down({ migrationSource, name });
    expect(await h.db.schema.hasColumn('customers', 'category')).toBe(false);
    expect(await indexes()).toContain('customers_tenant_id_status_index');
    expect(await indexes()).not.toContain('customers_tenant_created_idx');
    await h.db.migrate.latest({ migrationSource });
    expect(await indexes()).toEqual(expect.arrayContaining(['customers_tenant_created_idx', 'customers_tenant_email_prefix_idx', 'customers_tenant_category_created_idx']));
    expect(await indexes()).not.toContain('customers_tenant_id_status_index');
    // The checks: an explicit source needs a category, a category needs a source, codes keep their shape.
    const row = `cust_${'c'.repeat(24)}`;
    await h.db('customers').insert({ id: row, tenant_id: tenant.tenantId, type: 'INDIVIDUAL', email: 'checks@example.com', first_name: 'C', last_name: 'K', status: 'ACTIVE' });
    await expect(h.db('customers').where({ id: row }).update({ category: null, category_source: 'EXPLICIT' })).rejects.toThrow(/customers_category_explicit_check/);
    await expect(h.db('customers').where({ id: row }).update({ category: 'VIP', category_source: null })).rejects.toThrow(/customers_category_sourced_check/);
    await expect(h.db('customers').where({ id: row }).update({ category: 'vip', category_source: 'RULE', category_assigned_at: h.db.fn.now() })).rejects.toThrow(/customers_category_code_check/);
  });
});
