/**
 * An organization's directors, employees and shareholders over HTTP, as a tenant meets them: adding, listing and
 * removing each; ownership checked whole (over 100 % at any level, cycles) even when adds race; UBOs computed from
 * the chain with the tenant's threshold; another tenant's organization out of reach; changes refused once
 * verification has started. Rows are checked too: a refused change writes nothing, a removal keeps history.
 */
import { createOrganizationPeopleService } from '../../api/organizations/people-service';
import { createTenantSettingsService } from '../../api/services/tenant-settings';
import { down as dropOwnerships, up as createOwnerships } from '../../migrations/20261127003100_create_organization_ownerships';
import { down as dropParties, up as createParties } from '../../migrations/20261127003000_create_organization_parties';
import { startHarness, type Harness } from '../support/harness';
import { register, tenantWithSettings } from '../support/journey';
import { createOrganization, setOrganizationStatus, type TestOrganization } from '../support/organizations';
import { createTenant, http, uniqueEmail, type HttpResult, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;
let otherTenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('org_people');
  tenant = await createTenant(h, 'People Bank');
  otherTenant = await createTenant(h, 'Other Bank');
});
afterAll(() => h?.close());

const PARTY_ID = /^pty_[0-9a-f]{24}$/;
const person = (firstName: string, overrides: Record<string, unknown> = {}) => ({ firstName, lastName: 'Example', email: uniqueEmail(firstName.toLowerCase()), ...overrides });
const personShare = (firstName: string, ownershipPercent: number, overrides: Record<string, unknown> = {}) => ({ kind: 'PERSON', ...person(firstName), ownershipPercent, ...overrides });
let registrations = 0;
const companyShare = (legalName: string, ownershipPercent: number, overrides: Record<string, unknown> = {}) => ({
  kind: 'COMPANY',
  legalName,
  registrationNumber: `HRB-${++registrations}`,
  countryOfIncorporation: 'DEU',
  ownershipPercent,
  ...overrides,
});

async function created(res: Promise<HttpResult>) {
  const answer = await res;
  expect({ status: answer.status, body: answer.body }).toEqual({ status: 201, body: expect.objectContaining({ partyId: expect.stringMatching(PARTY_ID) }) });
  return answer.body;
}

function expectOwnershipError(res: HttpResult, field: string, message: string | RegExp) {
  expect(res.status).toBe(400);
  expect(res.body).toEqual({ error: 'VALIDATION_ERROR', message: expect.any(String), details: [{ field, message: typeof message === 'string' ? message : expect.stringMatching(message) }] });
}

const partyRows = (org: TestOrganization) => h.db('organization_parties').where({ organization_id: org.organizationId }).orderBy('created_at');
const holdingRows = (org: TestOrganization) => h.db('organization_ownerships').where({ organization_id: org.organizationId }).orderBy('id');
const byId = <T extends { partyId: string }>(list: T[]): Record<string, T> => Object.fromEntries(list.map((entry) => [entry.partyId, entry]));

describe('directors and employees', () => {
  it('adds a director and lists it, stored with its tenant and organization', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const jane = person('Jane', { dateOfBirth: '1975-06-01', nationality: 'DEU', countryOfResidence: 'FRA' });
    const director = await created(tenant.call('POST', `${org.path}/directors`, jane));
    expect(director).toEqual({ partyId: director.partyId, kind: 'PERSON', roles: ['DIRECTOR'], ...jane, createdAt: expect.any(String) });

    const listed = await tenant.call('GET', `${org.path}/directors`);
    expect(listed).toMatchObject({ status: 200, body: { data: [director] } });
    expect(await partyRows(org)).toEqual([expect.objectContaining({ id: director.partyId, tenant_id: tenant.tenantId, kind: 'PERSON', is_director: true, date_of_birth: '1975-06-01', removed_at: null })]);
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
    expect(await partyRows(org)).toHaveLength(1);
  });

  it('refuses the same director twice, and a known e-mail with another name, writing nothing', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const ann = person('Ann', { dateOfBirth: '1980-01-01' });
    const director = await created(tenant.call('POST', `${org.path}/directors`, ann));
    expectOwnershipError(await tenant.call('POST', `${org.path}/directors`, ann), 'email', `${director.partyId} is already a director of this organization`);
    expectOwnershipError(await tenant.call('POST', `${org.path}/employee`, { ...ann, lastName: 'Other' }), 'lastName', /^Differs from what pty_/);
    expectOwnershipError(await tenant.call('POST', `${org.path}/employee`, { ...ann, dateOfBirth: '1980-01-02' }), 'dateOfBirth', /^Differs from what pty_/);
    expect(await partyRows(org)).toEqual([expect.objectContaining({ is_director: true, is_employee: false })]);
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
    expect(await partyRows(org)).toEqual([]);
  });
});

describe('shareholders and UBOs', () => {
  it("computes the issue's example: a company owning 60 % held 100 % by a person makes that person a 60 % UBO", async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const holdco = await created(tenant.call('POST', `${org.path}/shareholders`, companyShare('Holdco GmbH', 60)));
    expect(holdco).toMatchObject({ kind: 'COMPANY', roles: ['SHAREHOLDER'], holdings: [{ ownedPartyId: null, ownershipPercent: 60 }], effectiveOwnershipPercent: 60, isUbo: false });
    const alice = await created(tenant.call('POST', `${org.path}/shareholders`, personShare('Alice', 100, { ownerOf: holdco.partyId })));
    expect(alice).toMatchObject({ holdings: [{ ownedPartyId: holdco.partyId, ownershipPercent: 100 }], effectiveOwnershipPercent: 60, isUbo: true });
    const bob = await created(tenant.call('POST', `${org.path}/shareholders`, personShare('Bob', 15)));
    expect(bob).toMatchObject({ effectiveOwnershipPercent: 15, isUbo: false });

    const shareholders = await tenant.call('GET', `${org.path}/shareholders`);
    expect(shareholders.status).toBe(200);
    expect(shareholders.body.uboThresholdPercent).toBe(25);
    const listed = byId(shareholders.body.data);
    expect(Object.keys(listed).sort()).toEqual([holdco.partyId, alice.partyId, bob.partyId].sort());
    expect(listed[alice.partyId]).toMatchObject({ firstName: 'Alice', effectiveOwnershipPercent: 60, isUbo: true });
    expect(listed[holdco.partyId]).toMatchObject({ effectiveOwnershipPercent: 60, isUbo: false });

    const ubos = await tenant.call('GET', `${org.path}/ubos`);
    expect(ubos.body).toEqual({ uboThresholdPercent: 25, data: [expect.objectContaining({ partyId: alice.partyId, effectiveOwnershipPercent: 60, isUbo: true })] });
    expect(await holdingRows(org)).toEqual([
      expect.objectContaining({ tenant_id: tenant.tenantId, owner_party_id: holdco.partyId, owned_party_id: null, percentage: '60.00' }),
      expect.objectContaining({ owner_party_id: alice.partyId, owned_party_id: holdco.partyId, percentage: '100.00' }),
      expect.objectContaining({ owner_party_id: bob.partyId, owned_party_id: null, percentage: '15.00' }),
    ]);
  });

  it("uses the tenant's uboThresholdPercent, and validates it", async () => {
    const strict = await tenantWithSettings(h, { uboThresholdPercent: 10 });
    const org = await createOrganization(h, strict.tenantId);
    const small = await created(strict.call('POST', `${org.path}/shareholders`, personShare('Small', 10)));
    await created(strict.call('POST', `${org.path}/shareholders`, personShare('Tiny', 9.99)));
    expect((await strict.call('GET', `${org.path}/ubos`)).body).toEqual({ uboThresholdPercent: 10, data: [expect.objectContaining({ partyId: small.partyId })] });

    for (const value of [0, 100.01, 12.345, '25']) {
      const res = await http(h.api.url, 'PUT', `/api/v2.1/admin/tenants/${strict.tenantId}/settings`, {
        body: { uboThresholdPercent: value },
        headers: { authorization: `Bearer ${h.secrets.platformAdminToken}` },
      });
      expect({ value, status: res.status, field: res.body.details?.[0]?.field }).toEqual({ value, status: 400, field: 'uboThresholdPercent' });
    }
  });

  it('makes a director who is also a shareholder one party with both roles, and counts holdings on several levels', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const dana = person('Dana');
    const director = await created(tenant.call('POST', `${org.path}/directors`, dana));
    const company = await created(tenant.call('POST', `${org.path}/shareholders`, companyShare('Dana Holdings Ltd', 40, { countryOfIncorporation: 'GBR' })));
    await created(tenant.call('POST', `${org.path}/shareholders`, { kind: 'PERSON', ...dana, ownershipPercent: 10 }));
    const viaCompany = await created(tenant.call('POST', `${org.path}/shareholders`, { kind: 'PERSON', ...dana, ownershipPercent: 50, ownerOf: company.partyId }));
    expect(viaCompany).toMatchObject({ partyId: director.partyId, roles: ['DIRECTOR', 'SHAREHOLDER'], effectiveOwnershipPercent: 30, isUbo: true });
    expect((await tenant.call('GET', `${org.path}/ubos`)).body.data).toEqual([expect.objectContaining({ partyId: director.partyId, effectiveOwnershipPercent: 30 })]);
  });

  it('refuses ownership over 100 % at the top level, naming the organization, and writes nothing', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    await created(tenant.call('POST', `${org.path}/shareholders`, personShare('Major', 60)));
    await created(tenant.call('POST', `${org.path}/shareholders`, companyShare('Minor SA', 39.99, { countryOfIncorporation: 'FRA' })));
    const before = { parties: await partyRows(org), holdings: await holdingRows(org) };
    expectOwnershipError(
      await tenant.call('POST', `${org.path}/shareholders`, personShare('Extra', 0.02)),
      'ownershipPercent',
      'The owners of the organization would hold 100.01% in all, over 100%',
    );
    expect({ parties: await partyRows(org), holdings: await holdingRows(org) }).toEqual(before);
    await created(tenant.call('POST', `${org.path}/shareholders`, personShare('Exact', 0.01)));
  });

  it('refuses ownership over 100 % of a company shareholder, naming that company', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const company = await created(tenant.call('POST', `${org.path}/shareholders`, companyShare('Nested BV', 30, { countryOfIncorporation: 'NLD' })));
    await created(tenant.call('POST', `${org.path}/shareholders`, personShare('Owner', 70, { ownerOf: company.partyId })));
    expectOwnershipError(
      await tenant.call('POST', `${org.path}/shareholders`, companyShare('Parent AG', 31, { ownerOf: company.partyId })),
      'ownershipPercent',
      `The owners of ${company.partyId} would hold 101% in all, over 100%`,
    );
    expect(await partyRows(org)).toHaveLength(2);
  });

  it('refuses a holding that makes ownership go round in a circle', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const a = companyShare('Alpha Ltd', 50, { countryOfIncorporation: 'GBR' });
    const alpha = await created(tenant.call('POST', `${org.path}/shareholders`, a));
    const beta = await created(tenant.call('POST', `${org.path}/shareholders`, companyShare('Beta Ltd', 50, { countryOfIncorporation: 'GBR', ownerOf: alpha.partyId })));
    const holdings = await holdingRows(org);
    expectOwnershipError(
      await tenant.call('POST', `${org.path}/shareholders`, { ...a, ownershipPercent: 10, ownerOf: beta.partyId }),
      'ownerOf',
      `Ownership would go round in a circle: ${alpha.partyId} → ${beta.partyId} → ${alpha.partyId}`,
    );
    expect(await holdingRows(org)).toEqual(holdings);
  });

  it('refuses ownerOf naming a person, or nobody in this organization, and a repeated holding', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const someone = personShare('Someone', 10);
    const owner = await created(tenant.call('POST', `${org.path}/shareholders`, someone));
    expectOwnershipError(await tenant.call('POST', `${org.path}/shareholders`, personShare('X', 5, { ownerOf: owner.partyId })), 'ownerOf', `No company shareholder ${owner.partyId} in this organization`);
    expectOwnershipError(await tenant.call('POST', `${org.path}/shareholders`, personShare('X', 5, { ownerOf: 'pty_000000000000000000000000' })), 'ownerOf', /^No company shareholder/);
    expectOwnershipError(await tenant.call('POST', `${org.path}/shareholders`, { ...someone, ownershipPercent: 5 }), 'email', /already holds a share of the organization/);
    const res = await tenant.call('POST', `${org.path}/shareholders`, personShare('X', 150));
    expect({ status: res.status, field: res.body.details?.[0]?.field }).toEqual({ status: 400, field: 'ownershipPercent' });
    expect(await partyRows(org)).toHaveLength(1);
  });

  it('lets racing adds together reach at most 100 %: the organization is locked while each is checked', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => tenant.call('POST', `${org.path}/shareholders`, personShare(`Racer${i}`, 15))));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([...Array(6).fill(201), ...Array(4).fill(400)]);
    const total = await h.db('organization_ownerships').where({ organization_id: org.organizationId }).whereNull('removed_at').sum<{ sum: string }[]>('percentage');
    expect(Number(total[0].sum)).toBe(90);
    expect(await partyRows(org)).toHaveLength(6);
  });
});

describe('who must be verified', () => {
  it('names every director and every UBO once, by id and reason, and no one else', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const both = person('Both');
    const director = await created(tenant.call('POST', `${org.path}/directors`, both));
    const holdco = await created(tenant.call('POST', `${org.path}/shareholders`, companyShare('Verify Holdco', 60)));
    const ubo = await created(tenant.call('POST', `${org.path}/shareholders`, personShare('Owner', 100, { ownerOf: holdco.partyId })));
    await created(tenant.call('POST', `${org.path}/shareholders`, { kind: 'PERSON', ...both, ownershipPercent: 30 }));
    await created(tenant.call('POST', `${org.path}/shareholders`, personShare('Small', 10)));
    await created(tenant.call('POST', `${org.path}/employee`, person('Clerk')));

    const people = createOrganizationPeopleService(h.db, createTenantSettingsService(h.db, { reminderAfterSeconds: 1, resendCooldownSeconds: 1 }));
    const subjects = await people.verificationSubjects(tenant.tenantId, org.organizationId);
    expect(subjects.sort((a, b) => (a.partyId < b.partyId ? -1 : 1))).toEqual(
      [
        { partyId: director.partyId, reasons: ['DIRECTOR', 'UBO'] },
        { partyId: ubo.partyId, reasons: ['UBO'] },
      ].sort((a, b) => (a.partyId < b.partyId ? -1 : 1)),
    );
    await expect(people.verificationSubjects(otherTenant.tenantId, org.organizationId)).rejects.toMatchObject({ status: 404 });
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
    const rows = byId((await partyRows(org)).map((row) => ({ ...row, partyId: row.id })));
    expect(rows[director.partyId]).toMatchObject({ is_director: false, is_employee: true, removed_at: null });
    expect(rows[only.partyId]).toMatchObject({ is_director: false, removed_at: expect.any(Date) });

    const again = await tenant.call('DELETE', `${org.path}/directors/${only.partyId}`);
    expect(again.status).toBe(404);
    expect((await tenant.call('DELETE', `${org.path}/shareholders/${director.partyId}`)).status).toBe(404);
    // The removed director may be added again, as a new record.
    const back = await created(tenant.call('POST', `${org.path}/directors`, { ...person('Only'), email: rows[only.partyId].email }));
    expect(back.partyId).not.toBe(only.partyId);
  });

  it('removing a company shareholder ends the holdings above it, and its owners stop being UBOs', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const holdco = await created(tenant.call('POST', `${org.path}/shareholders`, companyShare('Gone Holdings', 60)));
    const alice = await created(tenant.call('POST', `${org.path}/shareholders`, personShare('Alice', 100, { ownerOf: holdco.partyId })));
    const carl = await created(tenant.call('POST', `${org.path}/shareholders`, personShare('Carl', 30)));

    expect((await tenant.call('DELETE', `${org.path}/shareholders/${holdco.partyId}`)).status).toBe(204);
    const shareholders = await tenant.call('GET', `${org.path}/shareholders`);
    expect(shareholders.body.data).toEqual([expect.objectContaining({ partyId: carl.partyId, effectiveOwnershipPercent: 30, isUbo: true })]);
    expect((await tenant.call('GET', `${org.path}/ubos`)).body.data.map((u: { partyId: string }) => u.partyId)).toEqual([carl.partyId]);
    expect(await holdingRows(org)).toEqual([
      expect.objectContaining({ owner_party_id: holdco.partyId, removed_at: expect.any(Date) }),
      expect.objectContaining({ owner_party_id: alice.partyId, removed_at: expect.any(Date) }),
      expect.objectContaining({ owner_party_id: carl.partyId, removed_at: null }),
    ]);
    // The freed 60 % can be held again.
    await created(tenant.call('POST', `${org.path}/shareholders`, personShare('Newcomer', 70)));
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
    expect(await partyRows(org)).toEqual([expect.objectContaining({ id: director.partyId, removed_at: null })]);
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
    expect(await partyRows(org)).toEqual([expect.objectContaining({ is_director: true, removed_at: null })]);
  });
});

describe('migrations', () => {
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
