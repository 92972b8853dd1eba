/**
 * An organization's directors and employees over HTTP, as a tenant meets them: adding, listing and removing them;
 * one record per person whatever its roles; another tenant's organization out of reach; changes refused once
 * verification has started. Rows are checked too: a refused change writes nothing, a removal keeps history.
 * Shareholders and UBOs: organization-ownership.test.ts.
 */
import { down as dropOwnerships, up as createOwnerships } from '../../migrations/20261127003100_create_organization_ownerships';
import { down as dropParties, up as createParties } from '../../migrations/20261127003000_create_organization_parties';
import type { Knex } from '../../common/db';
import { startHarness, type Harness } from '../support/harness';
import { register } from '../support/journey';
import { byId, created, createOrganization, expectFieldError, partyRows, person, personShare, setOrganizationStatus } from '../support/organizations';
import { createTenant, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;
let otherTenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('org_people');
  tenant = await createTenant(h, 'People Bank');
  otherTenant = await createTenant(h, 'Other Bank');
});
afterAll(() => h?.close());

describe('directors and employees', () => {
  it('adds a director and lists it, stored with its tenant and organization', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const jane = person('Jane', { dateOfBirth: '1975-06-01', nationality: 'DEU', countryOfResidence: 'FRA' });
    const director = await created(tenant.call('POST', `${org.path}/directors`, jane));
    expect(director).toEqual({ partyId: director.partyId, kind: 'PERSON', roles: ['DIRECTOR'], ...jane, createdAt: expect.any(String) });

    const listed = await tenant.call('GET', `${org.path}/directors`);
    expect(listed).toMatchObject({ status: 200, body: { data: [director] } });
    expect(await partyRows(h, org)).toEqual([expect.objectContaining({ id: director.partyId, tenant_id: tenant.tenantId, kind: 'PERSON', is_director: true, date_of_birth: '1975-06-01', removed_at: null })]);
  });

  it('adds an employee at POST /employee and lists it at GET /employees', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const employee = await created(tenant.call('POST', `${org.path}/employee`, person('Eve', { jobTitle: 'Treasurer' })));
    expect(employee).toMatchObject({ roles: ['EMPLOYEE'], jobTitle: 'Treasurer' });
    expect((await tenant.call('GET', `${org.path}/employees`)).body).toEqual({ data: [employee] });
    expect((await tenant.call('GET', `${org.path}/directors`)).body).toEqual({ data: [] });
  });

  it('gives a person already in the organization (same e-mail, any case) the new role instead of a second record', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const sam = person('Sam');
    const director = await created(tenant.call('POST', `${org.path}/directors`, sam));
    const employee = await created(tenant.call('POST', `${org.path}/employee`, { ...sam, email: sam.email.toUpperCase(), firstName: 'SAM', jobTitle: 'CFO' }));
    expect(employee).toMatchObject({ partyId: director.partyId, roles: ['DIRECTOR', 'EMPLOYEE'], firstName: 'Sam', jobTitle: 'CFO' });
    expect(await partyRows(h, org)).toHaveLength(1);
  });

  it('refuses the same director twice, and a known e-mail with another name, writing nothing', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const ann = person('Ann', { dateOfBirth: '1980-01-01' });
    const director = await created(tenant.call('POST', `${org.path}/directors`, ann));
    expectFieldError(await tenant.call('POST', `${org.path}/directors`, ann), 'email', `${director.partyId} is already a director of this organization`);
    expectFieldError(await tenant.call('POST', `${org.path}/employee`, { ...ann, lastName: 'Other' }), 'lastName', /^Differs from what pty_/);
    expectFieldError(await tenant.call('POST', `${org.path}/employee`, { ...ann, dateOfBirth: '1980-01-02' }), 'dateOfBirth', /^Differs from what pty_/);
    expect(await partyRows(h, org)).toEqual([expect.objectContaining({ is_director: true, is_employee: false })]);
  });

  it('validates the person: e-mail, names, a real past date, alpha-3 countries, no unknown fields', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...person('A'), email: 'not-an-email' }, 'email'],
      [{ ...person('A'), firstName: '' }, 'firstName'],
      [{ ...person('A'), dateOfBirth: '2999-01-01' }, 'dateOfBirth'],
      [{ ...person('A'), dateOfBirth: '1990-02-30' }, 'dateOfBirth'],
      [{ ...person('A'), nationality: 'DE' }, 'nationality'],
      [{ ...person('A'), countryOfResidence: 'XXX' }, 'countryOfResidence'],
      [{ ...person('A'), role: 'CEO' }, 'role'],
    ];
    for (const [body, field] of cases) {
      const res = await tenant.call('POST', `${org.path}/directors`, body);
      expect({ field, status: res.status, error: res.body.error, fields: res.body.details?.map((d: { field: string }) => d.field) }).toEqual({ field, status: 400, error: 'VALIDATION_ERROR', fields: [field] });
    }
    expect(await partyRows(h, org)).toEqual([]);
  });
});

describe('removal', () => {
  it('removes a role, keeps a party with another role, and keeps a removed party as history', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const both = person('Both');
    const director = await created(tenant.call('POST', `${org.path}/directors`, both));
    await created(tenant.call('POST', `${org.path}/employee`, both));
    const only = await created(tenant.call('POST', `${org.path}/directors`, person('Only')));

    expect((await tenant.call('DELETE', `${org.path}/directors/${director.partyId}`)).status).toBe(204);
    expect((await tenant.call('DELETE', `${org.path}/directors/${only.partyId}`)).status).toBe(204);
    expect((await tenant.call('GET', `${org.path}/directors`)).body).toEqual({ data: [] });
    expect((await tenant.call('GET', `${org.path}/employees`)).body.data).toEqual([expect.objectContaining({ partyId: director.partyId, roles: ['EMPLOYEE'] })]);
    const rows = byId((await partyRows(h, org)).map((row) => ({ ...row, partyId: row.id })));
    expect(rows[director.partyId]).toMatchObject({ is_director: false, is_employee: true, removed_at: null });
    expect(rows[only.partyId]).toMatchObject({ is_director: false, removed_at: expect.any(Date) });

    const again = await tenant.call('DELETE', `${org.path}/directors/${only.partyId}`);
    expect(again.status).toBe(404);
    expect((await tenant.call('DELETE', `${org.path}/shareholders/${director.partyId}`)).status).toBe(404);
    // The removed director may be added again, as a new record.
    const back = await created(tenant.call('POST', `${org.path}/directors`, { ...person('Only'), email: rows[only.partyId].email }));
    expect(back.partyId).not.toBe(only.partyId);
  });
});

describe('who may change what', () => {
  it("answers 404 for another tenant's organization, an individual's id and an unknown id, and 400 for a malformed one", async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const director = await created(tenant.call('POST', `${org.path}/directors`, person('Kept')));
    const individual = await register(tenant);
    const calls: Array<[TenantSession, string, string, unknown?]> = [
      [otherTenant, 'GET', `${org.path}/directors`],
      [otherTenant, 'GET', `${org.path}/shareholders`],
      [otherTenant, 'GET', `${org.path}/ubos`],
      [otherTenant, 'POST', `${org.path}/directors`, person('Intruder')],
      [otherTenant, 'POST', `${org.path}/shareholders`, personShare('Intruder', 10)],
      [otherTenant, 'DELETE', `${org.path}/directors/${director.partyId}`],
      [tenant, 'GET', `${individual.path}/directors`],
      [tenant, 'POST', `${individual.path}/employee`, person('Nobody')],
      [tenant, 'GET', '/api/v2.1/customer/org_000000000000000000000000/employees'],
    ];
    for (const [session, method, path, body] of calls) {
      const res = await session.call(method, path, body);
      expect({ method, path, status: res.status, error: res.body.error }).toEqual({ method, path, status: 404, error: 'NOT_FOUND' });
    }
    const malformed = await tenant.call('GET', '/api/v2.1/customer/org_123/directors');
    expect({ status: malformed.status, field: malformed.body.details?.[0]?.field }).toEqual({ status: 400, field: 'orgId' });
    expect(await partyRows(h, org)).toEqual([expect.objectContaining({ id: director.partyId, removed_at: null })]);
    expect(await h.db('organization_parties').where({ tenant_id: otherTenant.tenantId })).toEqual([]);
  });

  it('refuses adding and removing people once verification has started (409 INVALID_STATE), and still lists them', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const director = await created(tenant.call('POST', `${org.path}/directors`, person('Frozen')));
    await setOrganizationStatus(h, tenant.tenantId, org.organizationId, 'MANUAL_REVIEW');
    const refused = [
      await tenant.call('POST', `${org.path}/directors`, person('Late')),
      await tenant.call('POST', `${org.path}/employee`, person('Late')),
      await tenant.call('POST', `${org.path}/shareholders`, personShare('Late', 10)),
      await tenant.call('DELETE', `${org.path}/directors/${director.partyId}`),
    ];
    for (const res of refused) {
      expect({ status: res.status, body: res.body }).toEqual({
        status: 409,
        body: { error: 'INVALID_STATE', message: expect.any(String), details: [{ field: 'status', message: 'MANUAL_REVIEW' }] },
      });
    }
    expect((await tenant.call('GET', `${org.path}/directors`)).body.data).toEqual([director]);
    expect(await partyRows(h, org)).toEqual([expect.objectContaining({ is_director: true, removed_at: null })]);
  });
});

describe('the database', () => {
  /** The error of `work` in a transaction that is always rolled back, or 'ok'. */
  async function probe(work: (trx: Knex.Transaction) => Promise<unknown>): Promise<{ code?: string; constraint?: string } | 'ok'> {
    const trx = await h.db.transaction();
    try {
      await work(trx);
      return 'ok';
    } catch (error) {
      return error as { code?: string; constraint?: string };
    } finally {
      await trx.rollback();
    }
  }

  it("refuses a party or a holding that names another tenant's organization or party, whatever code writes it", async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const director = await created(tenant.call('POST', `${org.path}/directors`, person('Owned')));
    const party = (tenantId: string) => ({ id: `pty_${'0'.repeat(24)}`, tenant_id: tenantId, organization_id: org.organizationId, kind: 'PERSON', is_director: true, first_name: 'A', last_name: 'B', email: 'a.b@example.com' });
    expect(await probe((trx) => trx('organization_parties').insert(party(otherTenant.tenantId)))).toMatchObject({ code: '23503', constraint: 'organization_parties_tenant_organization_foreign' });
    expect(await probe((trx) => trx('organization_parties').insert(party(tenant.tenantId)))).toBe('ok');

    const otherOrg = await createOrganization(h, otherTenant.tenantId);
    const holding = { tenant_id: otherTenant.tenantId, organization_id: otherOrg.organizationId, owner_party_id: director.partyId, percentage: 10 };
    expect(await probe((trx) => trx('organization_ownerships').insert(holding))).toMatchObject({ code: '23503', constraint: 'organization_ownerships_owner_foreign' });
    const overfull = { tenant_id: tenant.tenantId, organization_id: org.organizationId, owner_party_id: director.partyId, percentage: 100.01 };
    expect(await probe((trx) => trx('organization_ownerships').insert(overfull))).toMatchObject({ code: '23514', constraint: 'organization_ownerships_percentage_check' });
    const companyDirector = { ...party(tenant.tenantId), kind: 'COMPANY', first_name: null, last_name: null, email: null, legal_name: 'X', registration_number: '1', country_of_incorporation: 'DEU' };
    expect(await probe((trx) => trx('organization_parties').insert(companyDirector))).toMatchObject({ code: '23514', constraint: 'organization_parties_company_roles_check' });
  });


  it('down drops both tables and up creates them again', async () => {
    await dropOwnerships(h.db);
    await dropParties(h.db);
    expect(await h.db.schema.hasTable('organization_parties')).toBe(false);
    expect(await h.db.schema.hasTable('organization_ownerships')).toBe(false);
    await createParties(h.db);
    await createOwnerships(h.db);
    const org = await createOrganization(h, tenant.tenantId);
    await created(tenant.call('POST', `${org.path}/shareholders`, personShare('Again', 50)));
  });
});
