/**
 * GET /v2/profile/{customerId} and GET /v2/customer/{customerId}: the whole stored profile in seed 004's names,
 * for a v2 registration (every section), a v2.1 registration (what exists, the rest null), an organization, and
 * another tenant's customer (404).
 */
import { customerProfileResponse } from '../../api/profiles/view';
import { startHarness, type Harness } from '../support/harness';
import { register } from '../support/journey';
import { registerOrganization } from '../support/organization-journey';
import { v2Individual } from '../support/v2-individual';
import { createTenant, http, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('profile-view');
  tenant = await createTenant(h, 'Profile Bank');
});
afterAll(() => h?.close());

const PATHS = ['/v2/profile', '/v2/customer'] as const;

/** Both routes answer the same view, which the declared response schema describes exactly (strict objects). */
async function readBoth(session: TenantSession, customerId: string) {
  const [profile, customer] = await Promise.all(PATHS.map((path) => session.call('GET', `${path}/${customerId}`)));
  expect(profile.status).toBe(200);
  expect(customer.body).toEqual(profile.body);
  customerProfileResponse.parse(profile.body);
  return profile.body.data;
}

async function registerV2(body = v2Individual()) {
  const res = await tenant.call('POST', '/v2/customers/individual', body);
  expect(res.status).toBe(201);
  return res.body.data.customer_id as string;
}

describe('a customer registered through v2', () => {
  it('reads back every section as given, original script with its _en twin, tax ids masked', async () => {
    const body = v2Individual({
      basic_info: { first_name: 'Мария', first_name_en: 'Maria' },
      address: { street_line_1: 'Маркет-стрит 123', street_line_1_en: '123 Market Street' },
      meta_data: { reference: 'client-ref-abc-001', channel: 'web' },
    });
    const customerId = await registerV2(body);
    const data = await readBoth(tenant, customerId);
    const { tax_info: _taxIds, ...givenBasics } = body.basic_info;
    expect(data).toEqual({
      customer_id: customerId,
      customer_type: 'INDIVIDUAL',
      status: 'PENDING_EMAIL_VERIFICATION',
      category: null,
      verification_type: 'STANDARD',
      basic_info: { ...givenBasics, tax_info: [{ country_code: 'USA', document_type: 'SSN', document_id: '****6789' }] },
      address: body.address,
      financial_profile: body.financial_profile,
      meta_data: body.meta_data,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(Object.keys(data)).toEqual(['customer_id', 'customer_type', 'status', 'category', 'verification_type', 'basic_info', 'address', 'financial_profile', 'meta_data', 'created_at', 'updated_at']);
    expect(JSON.stringify(data)).not.toContain('123-45-6789');
  });

  it('shows the columns where a later change made them differ from the registration payload', async () => {
    const customerId = await registerV2(v2Individual({ basic_info: { first_name: 'Мария', first_name_en: 'Maria' } }));
    const where = { tenant_id: tenant.tenantId, id: customerId };
    await h.db('customers').where(where).update({ first_name: 'Marie', email: 'marie.new@example.com' });
    await h.db('customer_profiles').where({ tenant_id: tenant.tenantId, customer_id: customerId }).update({
      address: JSON.stringify({ line1: '1 Main Street', city: 'Austin', postalCode: '73301', subdivisionCode: 'US-TX', country: 'USA' }),
      country_of_residence: 'USA',
      nationality: 'CAN',
    });
    const data = await readBoth(tenant, customerId);
    expect(data.basic_info).toMatchObject({ first_name: 'Marie', last_name: 'Garcia', email: 'marie.new@example.com', primary_nationality: 'CAN' });
    expect(data.basic_info).not.toHaveProperty('first_name_en');
    expect(data.basic_info).not.toHaveProperty('middle_name'); // the registration's names no longer describe this person
    expect(data.address).toEqual({ street_line_1: '1 Main Street', city: 'Austin', subdivision_code: 'US-TX', postal_code: '73301', country: 'USA' });
    expect(data.financial_profile.monthly_volume_usd).toBe(5000);
  });

  it('never shows a tax id a profile stored before sealing still holds in plain text', async () => {
    const customerId = await registerV2();
    const where = { tenant_id: tenant.tenantId, customer_id: customerId };
    const { details } = await h.db('customer_profiles').where(where).first('details');
    const plain = [{ country_code: 'USA', document_type: 'SSN', document_id: '987-65-4321' }];
    await h.db('customer_profiles').where(where).update({ details: JSON.stringify({ ...details, basic_info: { ...details.basic_info, tax_info: plain } }), tax_ids_masked: null });
    const data = await readBoth(tenant, customerId);
    expect(data.basic_info).not.toHaveProperty('tax_info');
    expect(JSON.stringify(data)).not.toContain('4321');
  });
});

describe('a customer registered through v2.1 (no payload details)', () => {
  it('answers what exists: names, e-mail and phone, the rest null', async () => {
    const customer = await register(tenant, { phone: '+14155550100' });
    const data = await readBoth(tenant, customer.customerId);
    expect(data).toEqual({
      customer_id: customer.customerId,
      customer_type: 'INDIVIDUAL',
      status: 'PENDING_EMAIL_VERIFICATION',
      category: null,
      basic_info: {
        first_name: 'John', last_name: 'Doe', dob: null, email: customer.email, phone: '+14155550100',
        country_of_residence: null, primary_nationality: null,
      },
      address: null,
      financial_profile: null,
      meta_data: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
  });
});

describe('an organization', () => {
  it('answers its customer row with customer_type ORGANIZATION and no individual sections', async () => {
    const org = await registerOrganization(tenant);
    const data = await readBoth(tenant, org.id);
    expect(data).toEqual({
      customer_id: org.id,
      customer_type: 'ORGANIZATION',
      status: 'ONBOARDING',
      category: null,
      basic_info: null,
      address: null,
      financial_profile: null,
      meta_data: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
  });
});

describe('errors', () => {
  it("answers 404 for another tenant's customer and for an unknown id, 400 for a malformed one", async () => {
    const customerId = await registerV2();
    const other = await createTenant(h, 'Other Bank');
    for (const path of PATHS) {
      const foreign = await other.call('GET', `${path}/${customerId}`);
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual({ error: 'NOT_FOUND', message: 'Customer not found' });
      expect((await tenant.call('GET', `${path}/cust_${'0'.repeat(24)}`)).status).toBe(404);
      const malformed = await tenant.call('GET', `${path}/cust_XYZ`);
      expect(malformed.status).toBe(400);
      expect(malformed.body.details).toEqual([{ field: 'customerId', message: expect.any(String) }]);
      expect((await http(h.api.url, 'GET', `${path}/${customerId}`)).status).toBe(401);
    }
  });

  it('reads /v2/customer/profiles as the list, not as a customer id', async () => {
    const res = await tenant.call('GET', '/v2/customer/profiles?limit=1');
    expect(res.status).toBe(200);
    expect(res.body.next_cursor).toEqual(expect.any(String));
    expect(res.body).not.toHaveProperty('pagination');
  });

  it('documents both routes with the CustomerProfileV2 schema, the list with its parameters, and the category route', async () => {
    const document = (await http(h.api.url, 'GET', '/openapi.json')).body;
    for (const path of ['/v2/profile/{customerId}', '/v2/customer/{customerId}']) {
      const schema = document.paths[path].get.responses['200'].content['application/json'].schema;
      expect(schema).toEqual({ $ref: '#/components/schemas/CustomerProfileV2Response' });
    }
    expect(document.components.schemas.CustomerProfileV2.properties.basic_info).toBeDefined();
    const list = document.paths['/v2/customer/profiles'].get;
    expect(list.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['category', 'created_from', 'created_to', 'cursor', 'customer_type', 'email', 'limit', 'status']);
    expect(list.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CustomerListPage' });
    expect(Object.keys(document.components.schemas.CustomerListPage.properties).sort()).toEqual(['data', 'next_cursor']);
    expect(document.paths['/v2/customer/{customerId}/category'].put.requestBody).toBeDefined();
  });
});
