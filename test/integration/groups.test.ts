/**
 * Customer groups over HTTP, as a tenant calls them: create, list (cursor pages, name prefix), read, rename,
 * delete (a group with members only with force=true). Each documented 400, another tenant's group a 404, name
 * clashes (whatever the case) a 409, and `/v2/customer/groups` is the list, not a customer id.
 */
import { startHarness, type Harness } from '../support/harness';
import { expectValidationError } from '../support/expectations';
import { createOrganization } from '../support/organizations';
import { createTenant, http, type HttpResult, type TenantSession } from '../support/tenant-client';

const BASE = '/v2/customer/groups';
const MISSING = 'grp_000000000000000000000000';

let h: Harness;
let tenant: TenantSession;
let other: TenantSession;

beforeAll(async () => {
  h = await startHarness('groups', { withWorker: false });
  tenant = await createTenant(h, 'Group Bank');
  other = await createTenant(h, 'Other Bank');
});
afterAll(() => h?.close());

let seq = 0;
const uniqueName = (prefix = 'Group') => `${prefix} ${++seq} ${Math.random().toString(36).slice(2, 8)}`;
const create = async (who: TenantSession, body: Record<string, unknown> = {}) => {
  const res = await who.call('POST', BASE, { name: uniqueName(), ...body });
  expect(res.status).toBe(201);
  return res.body.data as { group_id: string; name: string };
};
const storedGroup = (id: string) => h.db('customer_groups').where({ id }).first();
/** A member straight into the table: membership through the API is tested in group-members.test.ts. */
const addMember = async (who: TenantSession, groupId: string) => {
  const { organizationId } = await createOrganization(h, who.tenantId);
  await h.db('customer_group_members').insert({ tenant_id: who.tenantId, group_id: groupId, customer_id: organizationId, added_by: 'test' });
};

describe('POST /v2/customer/groups', () => {
  it('answers 201 { data: group } with the name trimmed, and stores it under the tenant', async () => {
    const res = await tenant.call('POST', BASE, { name: '  Premium clients  ', description: 'Private banking desk' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      data: {
        group_id: expect.stringMatching(/^grp_[0-9a-f]{24}$/),
        name: 'Premium clients',
        description: 'Private banking desk',
        member_count: 0,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      },
    });
    expect(await storedGroup(res.body.data.group_id)).toMatchObject({ tenant_id: tenant.tenantId, name: 'Premium clients' });
  });

  it.each([
    ['name', { name: '   ' }],
    ['name', { name: 'x'.repeat(101) }],
    ['name', { name: 'Tab\there' }],
    ['name', { name: 42 }],
    ['name', {}],
    ['description', { name: 'Fine', description: 'y'.repeat(501) }],
    ['description', { name: 'Fine', description: 'Line\nbreak' }],
    ['colour', { name: 'Fine', colour: 'red' }],
  ])('answers 400 VALIDATION_ERROR naming %s for %j', async (field, body) => {
    expectValidationError(await tenant.call('POST', BASE, body), field);
  });

  it('answers 409 CONFLICT naming the name when the tenant has it already, whatever the case; another tenant may use it', async () => {
    const name = uniqueName('Clash');
    await create(tenant, { name });
    const res = await tenant.call('POST', BASE, { name: ` ${name.toUpperCase()} ` });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: 'CONFLICT', message: expect.stringContaining(name.toUpperCase()), details: [{ field: 'name', message: name.toUpperCase() }] });
    expect((await other.call('POST', BASE, { name })).status).toBe(201);
    expect(await h.db('customer_groups').where({ tenant_id: tenant.tenantId }).whereRaw('lower(name) = lower(?)', [name]).count({ n: '*' })).toEqual([{ n: '1' }]);
  });
});

describe('GET /v2/customer/groups', () => {
  it('is the list, not a customer id: the route is mounted before GET /v2/customer/{customerId}', async () => {
    const res = await tenant.call('GET', BASE);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: expect.any(Array), next_cursor: null });
  });

  it('answers 401 without a valid access token, and 403 for a token of another tenant', async () => {
    expect(await http(h.api.url, 'GET', BASE, { headers: { 'x-tenant-id': tenant.tenantId } })).toMatchObject({ status: 401, body: { error: 'UNAUTHORIZED' } });
    expect(await http(h.api.url, 'GET', BASE, { headers: { ...other.headers, 'x-tenant-id': tenant.tenantId } })).toMatchObject({ status: 403, body: { error: 'FORBIDDEN' } });
  });

  it('pages through more than two pages by name without gaps or repeats, and shows only the tenant\'s groups', async () => {
    const paged = await createTenant(h, 'Paged Bank');
    const names = ['delta', 'Alpha', 'charlie', 'Echo', 'bravo', 'foxtrot', 'Golf'];
    for (const name of names) await create(paged, { name });
    await create(other, { name: 'alpha two' });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: HttpResult = await paged.call('GET', `${BASE}?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.data.map((g: { name: string }) => g.name));
      cursor = res.body.next_cursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['Alpha', 'bravo', 'charlie', 'delta', 'Echo', 'foxtrot', 'Golf']);
  });

  it('narrows to names starting with `name`, whatever the case, with LIKE wildcards taken literally', async () => {
    const searched = await createTenant(h, 'Search Bank');
    for (const name of ['VIP Gold', 'vip silver', 'Retail', '100% online', '100 branches']) await create(searched, { name });
    const names = async (query: string) => (await searched.call('GET', `${BASE}?name=${encodeURIComponent(query)}`)).body.data.map((g: { name: string }) => g.name);
    expect(await names('vip')).toEqual(['VIP Gold', 'vip silver']);
    expect(await names('100%')).toEqual(['100% online']);
    expect(await names('_')).toEqual([]);
  });

  it.each([
    ['limit', 'limit=0'],
    ['limit', 'limit=101'],
    ['limit', 'limit=ten'],
    ['cursor', 'cursor=not-a-cursor'],
    ['cursor', `cursor=${Buffer.from('["x","grp_1"]').toString('base64url')}`],
    ['cursor', `cursor=${Buffer.from('["a\\u0000","grp_000000000000000000000000"]').toString('base64url')}`],
    ['name', 'name='],
    ['sort', 'sort=name'],
  ])('answers 400 VALIDATION_ERROR naming %s for ?%s', async (field, query) => {
    expectValidationError(await tenant.call('GET', `${BASE}?${query}`), field);
  });
});

describe('GET /v2/customer/groups/{groupId}', () => {
  it('answers the group with its member count', async () => {
    const group = await create(tenant, { description: 'Read me' });
    await addMember(tenant, group.group_id);
    const res = await tenant.call('GET', `${BASE}/${group.group_id}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ group_id: group.group_id, name: group.name, description: 'Read me', member_count: 1 });
  });

  it("answers 404 NOT_FOUND for another tenant's group and for a missing one, and 400 for a malformed id", async () => {
    const theirs = await create(other);
    for (const id of [theirs.group_id, MISSING]) {
      expect(await tenant.call('GET', `${BASE}/${id}`)).toMatchObject({ status: 404, body: { error: 'NOT_FOUND', message: expect.any(String) } });
    }
    expectValidationError(await tenant.call('GET', `${BASE}/grp_XYZ`), 'groupId');
  });
});

describe('PATCH /v2/customer/groups/{groupId}', () => {
  it('renames, changes the description or clears it (null), and moves updated_at', async () => {
    const group = await create(tenant, { description: 'Old' });
    const before = await storedGroup(group.group_id);
    const renamed = await tenant.call('PATCH', `${BASE}/${group.group_id}`, { name: ' Renamed group ' + seq });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data).toMatchObject({ name: 'Renamed group ' + seq, description: 'Old' });
    expect((await tenant.call('PATCH', `${BASE}/${group.group_id}`, { description: null })).body.data.description).toBeNull();
    const after = await storedGroup(group.group_id);
    expect(after).toMatchObject({ name: 'Renamed group ' + seq, description: null });
    expect(after.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
  });

  it('lets a group change the case of its own name, and refuses another group\'s name with 409', async () => {
    const mine = await create(tenant);
    const taken = await create(tenant);
    expect((await tenant.call('PATCH', `${BASE}/${mine.group_id}`, { name: mine.name.toUpperCase() })).status).toBe(200);
    const res = await tenant.call('PATCH', `${BASE}/${mine.group_id}`, { name: taken.name.toLowerCase() });
    expect(res).toMatchObject({ status: 409, body: { error: 'CONFLICT', details: [{ field: 'name', message: taken.name.toLowerCase() }] } });
    expect((await storedGroup(mine.group_id)).name).toBe(mine.name.toUpperCase());
  });

  it('answers 400 with no field or a bad one, and 404 for another tenant\'s group (unchanged)', async () => {
    const group = await create(tenant);
    expectValidationError(await tenant.call('PATCH', `${BASE}/${group.group_id}`, {}), 'body');
    expectValidationError(await tenant.call('PATCH', `${BASE}/${group.group_id}`, { name: '' }), 'name');
    const theirs = await create(other);
    expect((await tenant.call('PATCH', `${BASE}/${theirs.group_id}`, { name: 'Hijacked' })).status).toBe(404);
    expect((await storedGroup(theirs.group_id)).name).toBe(theirs.name);
  });
});

describe('DELETE /v2/customer/groups/{groupId}', () => {
  it('deletes an empty group: 204, then 404', async () => {
    const group = await create(tenant);
    const res = await tenant.call('DELETE', `${BASE}/${group.group_id}`);
    expect(res.status).toBe(204);
    expect(await storedGroup(group.group_id)).toBeUndefined();
    expect((await tenant.call('GET', `${BASE}/${group.group_id}`)).status).toBe(404);
  });

  it('refuses a group with members with 409 naming the member count, unless force=true (memberships go, customers stay)', async () => {
    const group = await create(tenant);
    await addMember(tenant, group.group_id);
    await addMember(tenant, group.group_id);
    const refused = await tenant.call('DELETE', `${BASE}/${group.group_id}?force=false`);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ error: 'CONFLICT', message: expect.stringContaining('force=true'), details: [{ field: 'member_count', message: '2' }] });
    expect((await tenant.call('DELETE', `${BASE}/${group.group_id}`)).status).toBe(409);
    const members = await h.db('customer_group_members').where({ group_id: group.group_id }).pluck('customer_id');

    expect((await tenant.call('DELETE', `${BASE}/${group.group_id}?force=true`)).status).toBe(204);
    expect(await storedGroup(group.group_id)).toBeUndefined();
    expect(await h.db('customer_group_members').where({ group_id: group.group_id })).toEqual([]);
    expect(await h.db('customers').whereIn('id', members).count({ n: '*' })).toEqual([{ n: '2' }]);
  });

  it.each(['yes', 'TRUE', '1', 'true&force=true'])('answers 400 naming force for ?force=%s', async (value) => {
    const group = await create(tenant);
    expectValidationError(await tenant.call('DELETE', `${BASE}/${group.group_id}?force=${value}`), 'force');
    expect(await storedGroup(group.group_id)).toBeDefined();
  });

  it("answers 404 for another tenant's group, even forced, and leaves it", async () => {
    const theirs = await create(other);
    expect((await tenant.call('DELETE', `${BASE}/${theirs.group_id}?force=true`)).status).toBe(404);
    expect(await storedGroup(theirs.group_id)).toBeDefined();
  });
});

describe('the OpenAPI document', () => {
  it('lists every group route with its schemas', async () => {
    const { body: doc } = await http(h.api.url, 'GET', '/openapi.json');
    expect(Object.keys(doc.paths[BASE])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(doc.paths[`${BASE}/{groupId}`])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    expect(Object.keys(doc.paths[`${BASE}/{groupId}/members`])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(doc.paths[`${BASE}/{groupId}/members/{customerId}`].delete.responses['404']).toBeDefined();
    expect(doc.paths['/v2/customer/{customerId}/groups'].get.responses['200']).toBeDefined();
    expect(doc.paths[`${BASE}/{groupId}`].delete.responses['409']).toBeDefined();
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['CustomerGroup', 'CustomerGroupPage', 'CustomerGroupMember', 'CustomerGroupMembersAdded']));
  });
});
