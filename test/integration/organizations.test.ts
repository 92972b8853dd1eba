/**
 * Organizations over HTTP (seed 000): creation with the eight fields and their validation, duplicates (also when
 * racing), reads, the GET-with-status reading, staff status changes and the industries reference data.
 */
import { randomBytes } from 'node:crypto';
import { startHarness, type Harness } from '../support/harness';
import { createTenant, http, type TenantSession } from '../support/tenant-client';
import { organization } from '../support/organizations';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('orgs');
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

const tomorrow = () => new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);

describe('POST /v2/organization', () => {
  it('answers 201 { organizationId, businessName, status, createdAt, kybStatus } and stores the row, profile and first history row', async () => {
    const body = organization({ businessName: 'Acme Trading Ltd' });
    const res = await tenant.call('POST', '/v2/organization', body);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      organizationId: expect.stringMatching(/^org_[0-9a-f]{24}$/),
      businessName: 'Acme Trading Ltd',
      status: 'ONBOARDING',
      createdAt: expect.any(String),
      kybStatus: 'NOT_STARTED',
    });
    const id = res.body.organizationId;
    const customer = await h.db('customers').where({ tenant_id: tenant.tenantId, id }).first();
    // No representative in a v2 body: the contact address acts for the company, greeted by its name.
    expect(customer).toMatchObject({ type: 'ORGANIZATION', status: 'ONBOARDING', email: body.contactEmail, first_name: 'Acme Trading Ltd', last_name: '' });
    const profile = await h.db('organization_profiles').where({ tenant_id: tenant.tenantId, customer_id: id }).first();
    expect(profile).toMatchObject({
      business_name: 'Acme Trading Ltd', business_type: 'PRIVATE_LIMITED_COMPANY', registration_number: body.registrationNumber,
      country_of_incorporation: 'GBR', industry_code: 'J', contact_email: body.contactEmail, contact_phone: '+442079460958', kyb_status: 'NOT_STARTED',
    });
    const history = await h.db('customer_status_history').where({ tenant_id: tenant.tenantId, customer_id: id }).select('status');
    expect(history.map((row) => row.status)).toEqual(['ONBOARDING']);
  });

  it('takes an optional representative, who then receives the codes', async () => {
    const representative = { firstName: 'Ada', lastName: 'Byron', email: `ada.${randomBytes(4).toString('hex')}@example.com` };
    const res = await tenant.call('POST', '/v2/organization', organization({ representative }));
    expect(res.status).toBe(201);
    const customer = await h.db('customers').where({ id: res.body.organizationId }).first();
    expect(customer).toMatchObject({ email: representative.email, first_name: 'Ada', last_name: 'Byron' });
  });

  const INVALID: Array<[field: string, value: unknown]> = [
    ['businessName', ''],
    ['businessName', 'x'.repeat(201)],
    ['businessType', 'LLC'],
    ['businessType', 'private_limited_company'],
    ['registrationNumber', ''],
    ['registrationNumber', '12<script>'],
    ['registrationNumber', '--'],
    ['countryOfIncorporation', 'GB'],
    ['countryOfIncorporation', 'gbr'],
    ['countryOfIncorporation', 'XYZ'],
    ['dateOfIncorporation', '2015-02-30'],
    ['dateOfIncorporation', '30/06/2015'],
    ['dateOfIncorporation', tomorrow()],
    ['industryType', 'Z'],
    ['industryType', 'software'],
    ['contactEmail', 'Finance@Acme.example'],
    ['contactEmail', 'not-an-email'],
    ['contactPhone', '02079460958'],
    ['contactPhone', '+44 12'],
  ];

  it.each(INVALID)('refuses %s = %j with 400 VALIDATION_ERROR naming the field, and stores nothing', async (field, value) => {
    const before = await h.db('organization_profiles').where({ tenant_id: tenant.tenantId }).count<{ count: string }[]>({ count: '*' });
    const res = await tenant.call('POST', '/v2/organization', organization({ [field]: value }));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('VALIDATION_ERROR');
    expect(res.body.details).toEqual([expect.objectContaining({ field })]);
    const after = await h.db('organization_profiles').where({ tenant_id: tenant.tenantId }).count<{ count: string }[]>({ count: '*' });
    expect(after[0].count).toBe(before[0].count);
  });

  it.each(['businessName', 'businessType', 'registrationNumber', 'countryOfIncorporation', 'dateOfIncorporation', 'industryType', 'contactEmail', 'contactPhone'])(
    'requires %s',
    async (field) => {
      const body: Record<string, unknown> = organization();
      delete body[field];
      const res = await tenant.call('POST', '/v2/organization', body);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field, message: 'Required' }]);
    },
  );

  it('refuses unknown fields and an incomplete representative', async () => {
    const extra = await tenant.call('POST', '/v2/organization', { ...organization(), taxId: '1' });
    expect(extra.status).toBe(400);
    expect(extra.body.details).toEqual([{ field: 'taxId', message: 'Unknown field' }]);
    const rep = await tenant.call('POST', '/v2/organization', organization({ representative: { firstName: 'Ada' } }));
    expect(rep.status).toBe(400);
    expect(rep.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['representative.email', 'representative.lastName']);
  });

  it('answers 409 "Organization already exists" for the same registration number in the same country, however it is written', async () => {
    const first = organization({ registrationNumber: 'HRB 123-45' });
    expect((await tenant.call('POST', '/v2/organization', first)).status).toBe(201);
    const again = await tenant.call('POST', '/v2/organization', organization({ registrationNumber: 'hrb12345', businessName: 'Other name' }));
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: 'CONFLICT', message: 'Organization already exists' });
    // Another country, or another tenant, may hold the same number.
    expect((await tenant.call('POST', '/v2/organization', organization({ registrationNumber: 'HRB 123-45', countryOfIncorporation: 'DEU' }))).status).toBe(201);
    const other = await createTenant(h, 'Other Bank');
    expect((await other.call('POST', '/v2/organization', organization({ registrationNumber: 'HRB 123-45' }))).status).toBe(201);
  });

  it('lets exactly one of two racing registrations of the same company win; the loser stores nothing', async () => {
    const number = `RACE-${randomBytes(4).toString('hex')}`;
    const results = await Promise.all([
      tenant.call('POST', '/v2/organization', organization({ registrationNumber: number })),
      tenant.call('POST', '/v2/organization', organization({ registrationNumber: number })),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const rows = await h.db('organization_profiles').where({ tenant_id: tenant.tenantId, registration_number: number });
    expect(rows).toHaveLength(1);
    expect(rows[0].customer_id).toBe(results.find((r) => r.status === 201)!.body.organizationId);
    const customers = await h.db('customers').where({ tenant_id: tenant.tenantId, type: 'ORGANIZATION' }).whereIn('id', h.db('organization_profiles').select('customer_id'));
    const orphans = await h.db('customers').where({ tenant_id: tenant.tenantId, type: 'ORGANIZATION' }).whereNotIn('id', customers.map((c) => c.id));
    expect(orphans).toEqual([]);
  });

  it('needs a token and the tenant header', async () => {
    expect((await http(h.api.url, 'POST', '/v2/organization', { body: organization() })).status).toBe(401);
  });
});

describe('GET /v2/organization/{organizationId}', () => {
  it('answers the whole profile with status, kybStatus, lifecycleStatus and requirements', async () => {
    const body = organization();
    const id = (await tenant.call('POST', '/v2/organization', body)).body.organizationId;
    const res = await tenant.call('GET', `/v2/organization/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      organizationId: id,
      businessName: body.businessName,
      businessType: body.businessType,
      registrationNumber: body.registrationNumber,
      countryOfIncorporation: 'GBR',
      dateOfIncorporation: '2015-06-30',
      industryType: 'J',
      contactEmail: body.contactEmail,
      contactPhone: '+442079460958',
      representative: { firstName: body.businessName, lastName: '', email: body.contactEmail, phone: null },
      status: 'ONBOARDING',
      kybStatus: 'NOT_STARTED',
      lifecycleStatus: 'ONBOARDING',
      requirements: {
        currentlyDue: ['EMAIL_VERIFICATION', 'CONSENT:TERMS_AND_CONDITIONS', 'CONSENT:PRIVACY_POLICY', 'CONSENT:DATA_PROCESSING', 'DIRECTORS', 'OWNERSHIP', 'DOCUMENT:CERTIFICATE_OF_INCORPORATION'],
        pendingVerification: [],
        errors: [],
      },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it("answers 404 for another tenant's organization, a missing one and an individual; 400 for a malformed id", async () => {
    const id = (await tenant.call('POST', '/v2/organization', organization())).body.organizationId;
    const nosy = await createTenant(h, 'Nosy');
    expect((await nosy.call('GET', `/v2/organization/${id}`)).status).toBe(404);
    expect((await nosy.call('GET', `/v2/organization/${id}/ONBOARDING`)).status).toBe(404);
    expect((await nosy.call('PUT', `/v2/organization/${id}/SUSPENDED`)).status).toBe(404);
    expect((await nosy.call('PUT', `/v2/kyb/initiateKYBStatus/${id}`)).status).toBe(404);
    expect((await tenant.call('GET', `/v2/organization/org_${'0'.repeat(24)}`)).status).toBe(404);
    const bad = await tenant.call('GET', '/v2/organization/cust_0f4c2a9b7d1e3f5a6b8c9d0e');
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'organizationId' })]);
  });
});

describe('status routes', () => {
  it('GET /v2/organization/{id}/{status} answers the organization while it is in that status, else 404', async () => {
    const id = (await tenant.call('POST', '/v2/organization', organization())).body.organizationId;
    const now = await tenant.call('GET', `/v2/organization/${id}/ONBOARDING`);
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({ organizationId: id, status: 'ONBOARDING' });
    const other = await tenant.call('GET', `/v2/organization/${id}/ACTIVE`);
    expect(other.status).toBe(404);
    expect(other.body).toEqual({ error: 'NOT_FOUND', message: 'Organization is not ACTIVE' });
    expect((await tenant.call('GET', `/v2/organization/${id}/PENDING_KYC`)).status).toBe(400);
  });

  it('PUT /v2/organization/{id}/{status} follows the persons rules and writes history', async () => {
    const id = (await tenant.call('POST', '/v2/organization', organization())).body.organizationId;
    const early = await tenant.call('PUT', `/v2/organization/${id}/SUSPENDED`);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: 'INVALID_STATE', details: [{ field: 'status', message: 'ONBOARDING' }, expect.anything()] });
    // The onboarding is the workflow's; staff changes start once it is ACTIVE (set here, the journey test gets there).
    await h.db('customers').where({ id }).update({ status: 'ACTIVE' });
    expect((await tenant.call('PUT', `/v2/organization/${id}/SUSPENDED`)).body).toEqual({ organizationId: id, status: 'SUSPENDED' });
    expect((await tenant.call('GET', `/v2/organization/${id}/SUSPENDED`)).body.lifecycleStatus).toBe('SUSPENDED');
    expect((await tenant.call('PUT', `/v2/organization/${id}/ACTIVE`)).status).toBe(200);
    expect((await tenant.call('PUT', `/v2/organization/${id}/CLOSED`)).status).toBe(200);
    expect((await tenant.call('PUT', `/v2/organization/${id}/ACTIVE`)).status).toBe(409);
    const history = await h.db('customer_status_history').where({ customer_id: id }).orderBy('id').select('status');
    expect(history.map((row) => row.status)).toEqual(['ONBOARDING', 'SUSPENDED', 'ACTIVE', 'CLOSED']);
  });
});

describe('GET /v2/reference/industries', () => {
  it('serves the 21 NACE Rev. 2 sections with stable ids and codes A to U', async () => {
    const res = await tenant.call('GET', '/v2/reference/industries');
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(21);
    expect(res.body.data[0]).toEqual({ id: 1, code: 'A', name: 'Agriculture, forestry and fishing' });
    expect(res.body.data.map((e: { code: string }) => e.code).join('')).toBe('ABCDEFGHIJKLMNOPQRSTU');
    expect(res.body.data[9]).toEqual({ id: 10, code: 'J', name: 'Information and communication' });
  });
});

describe('what the database holds', () => {
  it('replays a repeated request with the same Idempotency-Key instead of creating a second organization', async () => {
    const body = organization();
    const headers = { ...tenant.headers, 'idempotency-key': `org-${randomBytes(6).toString('hex')}` };
    const first = await http(h.api.url, 'POST', '/v2/organization', { body, headers });
    const again = await http(h.api.url, 'POST', '/v2/organization', { body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await h.db('organization_profiles').where({ tenant_id: tenant.tenantId, registration_number: body.registrationNumber })).toHaveLength(1);
  });

  it("refuses a profile naming another tenant's customer, and a KYB status outside the list", async () => {
    const id = (await tenant.call('POST', '/v2/organization', organization())).body.organizationId;
    const other = await createTenant(h, 'Other');
    const stored = await h.db('organization_profiles').where({ customer_id: id }).first();
    const { registration_number_key: _generated, ...row } = stored;
    await expect(h.db('organization_profiles').insert({ ...row, tenant_id: other.tenantId, registration_number: 'X1' })).rejects.toMatchObject({
      code: '23503',
      constraint: 'organization_profiles_tenant_customer_foreign',
    });
    await expect(h.db('organization_profiles').where({ customer_id: id }).update({ kyb_status: 'DONE' })).rejects.toMatchObject({
      code: '23514',
      constraint: 'organization_profiles_kyb_status_check',
    });
  });

  it('rolls its migrations back and forward', async () => {
    const { migrationSource } = await import('../../migrations');
    for (const name of ['20261127002100_create_organization_profiles', '20261127002000_create_industries']) {
      await h.db.migrate.down({ migrationSource, name });
    }
    expect(await h.db.schema.hasTable('organization_profiles')).toBe(false);
    expect(await h.db.schema.hasTable('industries')).toBe(false);
    await h.db.migrate.latest({ migrationSource });
    expect(await h.db('industries').count<{ count: string }[]>({ count: '*' })).toEqual([{ count: '21' }]);
  });
});
