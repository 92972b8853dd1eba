/**
 * SCT03 over HTTP: a tenant with countries of operation registers only individuals residing in them and
 * organizations incorporated in them; anything else is a 400 naming the field, with nothing stored. A tenant
 * without a list (null) is not restricted.
 */
import { startHarness, type Harness } from '../support/harness';
import { PROFILE, register, verifyEmail } from '../support/journey';
import { organization, organizationRegistration } from '../support/organizations';
import { changeTenantAccess, tenantWithAccess } from '../support/tenancy';
import { createTenant, uniqueEmail, type HttpResult } from '../support/tenant-client';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('countries');
});
afterAll(() => h?.close());

/** Seed 004's example request (a US resident), with a fresh e-mail address. */
function v2Individual(country = 'USA', subdivision = 'US-CA') {
  return {
    verification_type: 'STANDARD',
    basic_info: {
      first_name: 'Maria', last_name: 'Garcia', dob: '1990-04-15', email: uniqueEmail('maria'), phone: '+14155552671',
      country_of_residence: country, primary_nationality: 'USA', gender: 'FEMALE',
    },
    address: { street_line_1: '123 Market Street', city: 'San Francisco', subdivision_code: subdivision, postal_code: '94103', country },
    financial_profile: {
      employment_status: 'EMPLOYED', occupation_id: 42, purpose_id: 3, purpose_remarks: 'Personal remittances to family',
      source_of_funds_description: 'Monthly salary from employment', source_of_fund_ids: [1, 5], monthly_volume_usd: 5000,
    },
    meta_data: { reference: 'client-ref-abc-001' },
  };
}

function expectOutside(res: HttpResult, field: string, alpha3: string) {
  expect(res.status).toBe(400);
  expect(res.body).toEqual({
    error: 'VALIDATION_ERROR',
    message: "Outside the tenant's countries of operation",
    details: [{ field, message: `${alpha3} is not among the tenant's countries of operation` }],
  });
}

const customersOf = (tenantId: string) => h.db('customers').where({ tenant_id: tenantId });

describe('individuals', () => {
  it("refuses a v2 individual residing outside the tenant's countries, naming the field, and stores nothing", async () => {
    const tenant = await tenantWithAccess(h, { countries: ['DE', 'GB'] });
    expectOutside(await tenant.call('POST', '/v2/customers/individual', v2Individual()), 'basic_info.country_of_residence', 'USA');
    expect(await customersOf(tenant.tenantId)).toHaveLength(0);
    expect(await h.db('registration_secrets').where({ tenant_id: tenant.tenantId })).toHaveLength(0);

    const resident = await tenant.call('POST', '/v2/customers/individual', v2Individual('DEU', 'DE-BE'));
    expect(resident.status).toBe(201);
    expect(await customersOf(tenant.tenantId)).toHaveLength(1);
  });

  it('registers anyone on a tenant without countries of operation (not restricted)', async () => {
    const tenant = await createTenant(h, 'Worldwide Bank');
    expect((await tenant.call('POST', '/v2/customers/individual', v2Individual())).status).toBe(201);
  });

  it("refuses a profile whose country of residence is outside them, and takes it once the tenant's countries include it", async () => {
    const tenant = await tenantWithAccess(h, { countries: ['DE'] });
    // The v2.1 registration names no country: it is not restricted; the profile that follows is.
    const customer = await register(tenant);
    expect((await verifyEmail(h, tenant, customer)).status).toBe(200);
    expectOutside(await tenant.call('PUT', `/v2/profile/${customer.customerId}`, PROFILE), 'basic_info.country_of_residence', 'USA');
    expect(await h.db('customer_profiles').where({ tenant_id: tenant.tenantId })).toHaveLength(0);

    await changeTenantAccess(h, tenant.tenantId, { countries: ['DE', 'US'] });
    expect((await tenant.call('PUT', `/v2/profile/${customer.customerId}`, PROFILE)).status).toBe(200);
  });
});

describe('organizations', () => {
  it("refuses an organization incorporated outside the tenant's countries on v2 and v2.1, and stores nothing", async () => {
    const tenant = await tenantWithAccess(h, { countries: ['DE'] });
    expectOutside(await tenant.call('POST', '/v2/organization', organization()), 'countryOfIncorporation', 'GBR');
    expectOutside(await tenant.call('POST', '/api/v2.1/customer/organization/registration', organizationRegistration()), 'countryOfIncorporation', 'GBR');
    expect(await customersOf(tenant.tenantId)).toHaveLength(0);
    expect(await h.db('organization_profiles').where({ tenant_id: tenant.tenantId })).toHaveLength(0);

    expect((await tenant.call('POST', '/v2/organization', organization({ countryOfIncorporation: 'DEU' }))).status).toBe(201);
  });
});
