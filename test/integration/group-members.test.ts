/**
 * Group membership over HTTP: add individuals and organizations (all or nothing, repeats reported, parallel adds of
 * one member never a 500), remove one, page through a group's members and a customer's groups. Another tenant's
 * group or customer is a 404; a tenant adds only the kinds of customer its capabilities serve.
 */
import { startHarness, type Harness } from '../support/harness';
import { expectValidationError } from '../support/expectations';
import { register } from '../support/journey';
import { createOrganization } from '../support/organizations';
import { changeTenantAccess, INSUFFICIENT_PERMISSIONS, tenantWithAccess } from '../support/tenancy';
import { createTenant, type HttpResult, type TenantSession } from '../support/tenant-client';

const BASE = '/v2/customer/groups';
const MISSING_GROUP = 'grp_000000000000000000000000';
const MISSING_CUSTOMER = 'cust_000000000000000000000000';

let h: Harness;
let tenant: TenantSession;
let other: TenantSession;
/** Three registered individuals and two organizations of `tenant`; one individual of `other`. */
let people: string[];
let companies: string[];
let outsider: string;

beforeAll(async () => {
  h = await startHarness('group_members');
  [tenant, other] = await Promise.all([createTenant(h, 'Member Bank'), createTenant(h, 'Other Bank')]);
  people = [];
  for (let i = 0; i < 3; i += 1) people.push((await register(tenant)).customerId);
  companies = [(await createOrganization(h, tenant.tenantId)).organizationId, (await createOrganization(h, tenant.tenantId)).organizationId];
  outsider = (await register(other)).customerId;
});
afterAll(() => h?.close());

let seq = 0;
const newGroup = async (who: TenantSession = tenant) => {
  const res = await who.call('POST', BASE, { name: `Members ${++seq}` });
  expect(res.status).toBe(201);
  return res.body.data.group_id as string;
};
const add = (who: TenantSession, groupId: string, ids: string[]) => who.call('POST', `${BASE}/${groupId}/members`, { customer_ids: ids });
const storedMembers = (groupId: string) => h.db('customer_group_members').where({ group_id: groupId }).orderBy('id').pluck('customer_id');

/** Follows next_cursor from the first page to the last, with `limit` per page. */
async function allPages(who: TenantSession, path: string, limit: number) {
  const items: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res: HttpResult = await who.call('GET', `${path}?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeLessThanOrEqual(limit);
    items.push(...res.body.data);
    cursor = res.body.next_cursor;
    pages += 1;
  } while (cursor);
  return { items, pages };
}

describe('POST /v2/customer/groups/{groupId}/members', () => {
  it('adds individuals and organizations, reports who was already in, counts a repeated id once, and records who added them', async () => {
    const group = await newGroup();
    const first = await add(tenant, group, [people[0]!, companies[0]!]);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ data: { added: [people[0], companies[0]], already_members: [] } });

    const second = await add(tenant, group, [people[1]!, people[0]!, people[1]!]);
    expect(second.body).toEqual({ data: { added: [people[1]], already_members: [people[0]] } });
    expect(await storedMembers(group)).toEqual(expect.arrayContaining([people[0], people[1], companies[0]]));
    expect(await h.db('customer_group_members').where({ group_id: group }).distinct('added_by', 'tenant_id')).toEqual([
      { added_by: expect.stringMatching(/^tenant:oauth:cli_/), tenant_id: tenant.tenantId },
    ]);
    expect((await tenant.call('GET', `${BASE}/${group}`)).body.data.member_count).toBe(3);
  });

  it("adds nothing and answers 404 naming each id that is not the tenant's customer", async () => {
    const group = await newGroup();
    const res = await add(tenant, group, [people[0]!, outsider, MISSING_CUSTOMER]);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: 'NOT_FOUND',
      message: expect.any(String),
      details: [
        { field: 'customer_ids.1', message: outsider },
        { field: 'customer_ids.2', message: MISSING_CUSTOMER },
      ],
    });
    expect(await storedMembers(group)).toEqual([]);
  });

  it("answers 404 for another tenant's group and a missing one, adding nothing", async () => {
    const theirs = await newGroup(other);
    for (const id of [theirs, MISSING_GROUP]) {
      expect(await add(tenant, id, [people[0]!])).toMatchObject({ status: 404, body: { error: 'NOT_FOUND', message: 'No such group for this tenant' } });
    }
    expect(await storedMembers(theirs)).toEqual([]);
  });

  it.each([
    ['customer_ids', { customer_ids: [] }],
    ['customer_ids', { customer_ids: Array.from({ length: 101 }, (_, i) => `cust_${i.toString(16).padStart(24, '0')}`) }],
    ['customer_ids', {}],
    ['customer_ids.0', { customer_ids: ['cust_NOTHEX'] }],
    ['customer_ids.0', { customer_ids: ['grp_000000000000000000000000'] }],
    ['members', { customer_ids: ['cust_000000000000000000000000'], members: [] }],
  ])('answers 400 VALIDATION_ERROR naming %s', async (field, body) => {
    const group = await newGroup();
    expectValidationError(await tenant.call('POST', `${BASE}/${group}/members`, body), field);
  });

  it('lets parallel adds of the same member all succeed: one adds it, the others find it there', async () => {
    const group = await newGroup();
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => add(tenant, group, i % 2 ? [people[2]!, people[1]!] : [people[1]!, people[2]!])));
    expect(answers.map((res) => res.status)).toEqual(Array(6).fill(200));
    const addedTimes = (id: string) => answers.filter((res) => res.body.data.added.includes(id)).length;
    expect([addedTimes(people[1]!), addedTimes(people[2]!)]).toEqual([1, 1]);
    expect((await storedMembers(group)).sort()).toEqual([people[1], people[2]].sort());
  });
});

describe('DELETE /v2/customer/groups/{groupId}/members/{customerId}', () => {
  it('removes the membership (204), not the customer; again is 404', async () => {
    const group = await newGroup();
    await add(tenant, group, [people[0]!, companies[1]!]);
    expect((await tenant.call('DELETE', `${BASE}/${group}/members/${companies[1]}`)).status).toBe(204);
    expect(await storedMembers(group)).toEqual([people[0]]);
    expect(await h.db('customers').where({ id: companies[1] }).first()).toBeDefined();
    const again = await tenant.call('DELETE', `${BASE}/${group}/members/${companies[1]}`);
    expect(again).toMatchObject({ status: 404, body: { error: 'NOT_FOUND', message: 'The customer is not a member of this group' } });
  });

  it("answers 404 for another tenant's group (its member stays) and 400 for a malformed id", async () => {
    const theirs = await newGroup(other);
    await add(other, theirs, [outsider]);
    expect((await tenant.call('DELETE', `${BASE}/${theirs}/members/${outsider}`)).status).toBe(404);
    expect(await storedMembers(theirs)).toEqual([outsider]);
    expectValidationError(await tenant.call('DELETE', `${BASE}/${theirs}/members/someone`), 'customerId');
  });
});

describe('GET /v2/customer/groups/{groupId}/members', () => {
  it('pages through more than two pages in the order members were added, without gaps or repeats', async () => {
    const group = await newGroup();
    const order = [companies[1]!, people[2]!, people[0]!, companies[0]!, people[1]!];
    for (const id of order) expect((await add(tenant, group, [id])).status).toBe(200);
    const { items, pages } = await allPages(tenant, `${BASE}/${group}/members`, 2);
    expect(pages).toBe(3);
    expect(items.map((m) => m.customer_id)).toEqual(order);
    expect(items[0]).toEqual({
      customer_id: companies[1],
      customer_type: 'ORGANIZATION',
      status: 'ONBOARDING',
      first_name: 'Rita',
      last_name: 'Representative',
      business_name: expect.stringMatching(/^Test Company /),
      added_at: expect.any(String),
    });
    expect(items[1]).toMatchObject({ customer_id: people[2], customer_type: 'INDIVIDUAL', first_name: 'John', last_name: 'Doe', business_name: null });
  });

  it("answers 404 for another tenant's group, and 400 for a bad cursor or limit", async () => {
    const theirs = await newGroup(other);
    expect((await tenant.call('GET', `${BASE}/${theirs}/members`)).status).toBe(404);
    const group = await newGroup();
    expectValidationError(await tenant.call('GET', `${BASE}/${group}/members?cursor=abc`), 'cursor');
    expectValidationError(await tenant.call('GET', `${BASE}/${group}/members?limit=101`), 'limit');
  });
});

describe('GET /v2/customer/{customerId}/groups', () => {
  it("pages through a customer's groups in the order joined, each with its member count and when the customer joined", async () => {
    const fresh = (await createOrganization(h, tenant.tenantId)).organizationId;
    expect((await tenant.call('GET', `/v2/customer/${fresh}/groups`)).body).toEqual({ data: [], next_cursor: null });
    const joined: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      joined.push(await newGroup());
      await add(tenant, joined[i]!, [fresh]);
    }
    await add(tenant, joined[0]!, [people[0]!]);
    const { items, pages } = await allPages(tenant, `/v2/customer/${fresh}/groups`, 2);
    expect(pages).toBe(3);
    expect(items.map((g) => g.group_id)).toEqual(joined);
    expect(items[0]).toEqual({
      group_id: joined[0],
      name: expect.any(String),
      description: null,
      member_count: 2,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      added_at: expect.any(String),
    });
  });

  it("answers 404 for another tenant's customer and a missing one, 400 for a malformed id", async () => {
    for (const id of [outsider, MISSING_CUSTOMER]) {
      expect(await tenant.call('GET', `/v2/customer/${id}/groups`)).toMatchObject({ status: 404, body: { error: 'NOT_FOUND', message: 'No such customer for this tenant' } });
    }
    expectValidationError(await tenant.call('GET', '/v2/customer/cust_1/groups'), 'customerId');
  });

  it('drops the memberships of a customer who is deleted', async () => {
    const doomed = (await createOrganization(h, tenant.tenantId)).organizationId;
    const group = await newGroup();
    await add(tenant, group, [doomed, people[0]!]);
    await h.db('customers').where({ id: doomed }).delete();
    expect(await storedMembers(group)).toEqual([people[0]]);
  });
});

describe('capabilities', () => {
  it('lets a STARTER tenant (SCT01) group individuals; an organization it holds from SCT02 days is a 404, nothing added', async () => {
    const starter = await tenantWithAccess(h, { tier: 'STARTER' });
    const person = (await register(starter)).customerId;
    const company = (await createOrganization(h, starter.tenantId)).organizationId;
    const group = await newGroup(starter);
    expect((await add(starter, group, [person, company])).body).toMatchObject({ error: 'NOT_FOUND', details: [{ field: 'customer_ids.1', message: company }] });
    expect(await storedMembers(group)).toEqual([]);
    expect((await add(starter, group, [person])).body).toEqual({ data: { added: [person], already_members: [] } });
  });

  it('lets a B2B-only tenant (CUSTOM, SCT02) group organizations but not the individuals it registered before; a tenant with neither is refused 403', async () => {
    const b2b = await createTenant(h, 'Was B2C Bank');
    const person = (await register(b2b)).customerId;
    await changeTenantAccess(h, b2b.tenantId, { tier: 'CUSTOM', customCapabilities: ['SCT02'] });
    const company = (await createOrganization(h, b2b.tenantId)).organizationId;
    const group = await newGroup(b2b);
    expect((await add(b2b, group, [person])).body).toMatchObject({ error: 'NOT_FOUND', details: [{ field: 'customer_ids.0', message: person }] });
    expect((await add(b2b, group, [company])).body).toEqual({ data: { added: [company], already_members: [] } });
    const documentsOnly = await tenantWithAccess(h, { tier: 'CUSTOM', customCapabilities: ['SCT11'] });
    const refused = await documentsOnly.call('POST', BASE, { name: 'Nope' });
    expect(refused).toMatchObject({ status: 403, body: INSUFFICIENT_PERMISSIONS });
  });
});
