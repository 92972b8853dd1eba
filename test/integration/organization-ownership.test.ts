/**
 * An organization's shareholders over HTTP: persons and companies, companies owning companies; ownership checked
 * whole (over 100 % at any level, cycles) even when adds race, nothing written when refused; UBOs computed from
 * the chain with the tenant's threshold; who must be verified; removing a company and the chain above it.
 */
import { createOrganizationPeopleService } from '../../api/organizations/people-service';
import { createTenantSettingsService } from '../../api/tenancy/tenant-settings';
import { staffHeaders } from '../support/staff';
import { startHarness, type Harness } from '../support/harness';
import { tenantWithSettings } from '../support/journey';
import { byId, companyShare, created, createOrganization, expectFieldError, holdingRows, partyRows, person, personShare } from '../support/organizations';
import { createTenant, http, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;
let otherTenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('org_ownership');
  tenant = await createTenant(h, 'Owners Bank');
  otherTenant = await createTenant(h, 'Other Bank');
});
afterAll(() => h?.close());

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
    expect(await holdingRows(h, org)).toEqual([
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
        headers: await staffHeaders(h, 'PLATFORM_ADMIN'),
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
    const before = { parties: await partyRows(h, org), holdings: await holdingRows(h, org) };
    expectFieldError(
      await tenant.call('POST', `${org.path}/shareholders`, personShare('Extra', 0.02)),
      'ownershipPercent',
      'The owners of the organization would hold 100.01% in all, over 100%',
    );
    expect({ parties: await partyRows(h, org), holdings: await holdingRows(h, org) }).toEqual(before);
    await created(tenant.call('POST', `${org.path}/shareholders`, personShare('Exact', 0.01)));
  });

  it('refuses ownership over 100 % of a company shareholder, naming that company', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const company = await created(tenant.call('POST', `${org.path}/shareholders`, companyShare('Nested BV', 30, { countryOfIncorporation: 'NLD' })));
    await created(tenant.call('POST', `${org.path}/shareholders`, personShare('Owner', 70, { ownerOf: company.partyId })));
    expectFieldError(
      await tenant.call('POST', `${org.path}/shareholders`, companyShare('Parent AG', 31, { ownerOf: company.partyId })),
      'ownershipPercent',
      `The owners of ${company.partyId} would hold 101% in all, over 100%`,
    );
    expect(await partyRows(h, org)).toHaveLength(2);
  });

  it('refuses a holding that makes ownership go round in a circle', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const a = companyShare('Alpha Ltd', 50, { countryOfIncorporation: 'GBR' });
    const alpha = await created(tenant.call('POST', `${org.path}/shareholders`, a));
    const beta = await created(tenant.call('POST', `${org.path}/shareholders`, companyShare('Beta Ltd', 50, { countryOfIncorporation: 'GBR', ownerOf: alpha.partyId })));
    const holdings = await holdingRows(h, org);
    const [first, second] = [alpha.partyId, beta.partyId].sort();
    expectFieldError(
      await tenant.call('POST', `${org.path}/shareholders`, { ...a, ownershipPercent: 10, ownerOf: beta.partyId }),
      'ownerOf',
      // The circle is named from its smallest id, whichever company the new holding starts from.
      `Ownership would go round in a circle: ${[first, second, first].join(' → ')}`,
    );
    expect(await holdingRows(h, org)).toEqual(holdings);
  });

  it('refuses ownerOf naming a person, or nobody in this organization, and a repeated holding', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const someone = personShare('Someone', 10);
    const owner = await created(tenant.call('POST', `${org.path}/shareholders`, someone));
    expectFieldError(await tenant.call('POST', `${org.path}/shareholders`, personShare('X', 5, { ownerOf: owner.partyId })), 'ownerOf', `No company shareholder ${owner.partyId} in this organization`);
    expectFieldError(await tenant.call('POST', `${org.path}/shareholders`, personShare('X', 5, { ownerOf: 'pty_000000000000000000000000' })), 'ownerOf', /^No company shareholder/);
    expectFieldError(await tenant.call('POST', `${org.path}/shareholders`, { ...someone, ownershipPercent: 5 }), 'email', /already holds a share of the organization/);
    const res = await tenant.call('POST', `${org.path}/shareholders`, personShare('X', 150));
    expect({ status: res.status, field: res.body.details?.[0]?.field }).toEqual({ status: 400, field: 'ownershipPercent' });
    expect(await partyRows(h, org)).toHaveLength(1);
  });

  it('lets racing adds together reach at most 100 %: the organization is locked while each is checked', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => tenant.call('POST', `${org.path}/shareholders`, personShare(`Racer${i}`, 15))));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([...Array(6).fill(201), ...Array(4).fill(400)]);
    const total = await h.db('organization_ownerships').where({ organization_id: org.organizationId }).whereNull('removed_at').sum<{ sum: string }[]>('percentage');
    expect(Number(total[0].sum)).toBe(90);
    expect(await partyRows(h, org)).toHaveLength(6);
  });
});

describe('who must be verified', () => {
  const people = () => createOrganizationPeopleService(h.db, createTenantSettingsService(h.db, { reminderAfterSeconds: 1, resendCooldownSeconds: 1 }));
  const sorted = <T extends { partyId: string }>(list: T[]) => [...list].sort((a, b) => (a.partyId < b.partyId ? -1 : 1));

  it('names the representative, every director and every UBO once, by id and reasons, and no one else', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const rep = person('Rep');
    const representativeId = await h.db.transaction((trx) => people().recordRepresentative(trx, tenant.tenantId, org.organizationId, rep));
    // The representative added as a director is the same party, with both roles.
    const repAsDirector = await created(tenant.call('POST', `${org.path}/directors`, { ...rep, email: rep.email.toUpperCase() }));
    expect(repAsDirector).toMatchObject({ partyId: representativeId, roles: ['REPRESENTATIVE', 'DIRECTOR'] });

    const both = person('Both');
    const director = await created(tenant.call('POST', `${org.path}/directors`, both));
    const holdco = await created(tenant.call('POST', `${org.path}/shareholders`, companyShare('Verify Holdco', 60)));
    const ubo = await created(tenant.call('POST', `${org.path}/shareholders`, personShare('Owner', 100, { ownerOf: holdco.partyId })));
    await created(tenant.call('POST', `${org.path}/shareholders`, { kind: 'PERSON', ...both, ownershipPercent: 30 }));
    await created(tenant.call('POST', `${org.path}/shareholders`, personShare('Small', 10)));
    await created(tenant.call('POST', `${org.path}/employee`, person('Clerk')));

    expect(sorted(await people().verificationSubjects(tenant.tenantId, org.organizationId))).toEqual(
      sorted([
        { partyId: representativeId, reasons: ['REPRESENTATIVE', 'DIRECTOR'] },
        { partyId: director.partyId, reasons: ['DIRECTOR', 'UBO'] },
        { partyId: ubo.partyId, reasons: ['UBO'] },
      ]),
    );
    // The representative is not listed as anything it was not added as.
    expect((await tenant.call('GET', `${org.path}/employees`)).body.data.map((p: { partyId: string }) => p.partyId)).not.toContain(representativeId);
    await expect(people().verificationSubjects(otherTenant.tenantId, org.organizationId)).rejects.toMatchObject({ status: 404 });
  });
});

describe('removing a company shareholder', () => {
  it('removing a company shareholder ends the holdings above it, and its owners stop being UBOs', async () => {
    const org = await createOrganization(h, tenant.tenantId);
    const holdco = await created(tenant.call('POST', `${org.path}/shareholders`, companyShare('Gone Holdings', 60)));
    const alice = await created(tenant.call('POST', `${org.path}/shareholders`, personShare('Alice', 100, { ownerOf: holdco.partyId })));
    const carl = await created(tenant.call('POST', `${org.path}/shareholders`, personShare('Carl', 30)));

    expect((await tenant.call('DELETE', `${org.path}/shareholders/${holdco.partyId}`)).status).toBe(204);
    const shareholders = await tenant.call('GET', `${org.path}/shareholders`);
    expect(shareholders.body.data).toEqual([expect.objectContaining({ partyId: carl.partyId, effectiveOwnershipPercent: 30, isUbo: true })]);
    expect((await tenant.call('GET', `${org.path}/ubos`)).body.data.map((u: { partyId: string }) => u.partyId)).toEqual([carl.partyId]);
    expect(await holdingRows(h, org)).toEqual([
      expect.objectContaining({ owner_party_id: holdco.partyId, removed_at: expect.any(Date) }),
      expect.objectContaining({ owner_party_id: alice.partyId, removed_at: expect.any(Date) }),
      expect.objectContaining({ owner_party_id: carl.partyId, removed_at: null }),
    ]);
    // The freed 60 % can be held again.
    await created(tenant.call('POST', `${org.path}/shareholders`, personShare('Newcomer', 70)));
  });
});
