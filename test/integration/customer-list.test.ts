/**
 * GET /v2/customer/profiles: every filter alone and combined, keyset pages that neither repeat nor skip while
 * customers register, another tenant's customers never listed, and each 400. Rows are inserted directly (the list
 * reads `customers` only), with created_at chosen so the expected order is known; one customer registers over HTTP.
 */
import { randomBytes } from 'node:crypto';
import { startHarness, type Harness } from '../support/harness';
import { register } from '../support/journey';
import { expectValidationError } from '../support/expectations';
import { createTenant, http, type HttpResult, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;
let other: TenantSession;

interface Seeded { id: string; type: string; status: string; category: string | null; email: string; created_at: Date }
const seeded: Seeded[] = [];

const BASE = Date.parse('2026-01-01T00:00:00Z');
const STATUSES = ['ACTIVE', 'SUSPENDED', 'PENDING_KYC'];

function customerRow(tenantId: string, i: number, at: Date, overrides: Partial<Seeded> = {}) {
  const type = overrides.type ?? (i % 5 === 0 ? 'ORGANIZATION' : 'INDIVIDUAL');
  const category = overrides.category === undefined ? (i % 3 === 0 ? 'PREMIUM' : null) : overrides.category;
  return {
    id: `${type === 'ORGANIZATION' ? 'org' : 'cust'}_${randomBytes(12).toString('hex')}`,
    tenant_id: tenantId,
    type,
    status: overrides.status ?? (type === 'ORGANIZATION' ? 'ONBOARDING' : STATUSES[i % 3]),
    email: overrides.email ?? `person${i}@${i % 2 ? 'alpha' : 'beta'}.example.com`,
    first_name: `First${i}`,
    last_name: `Last${i}`,
    category,
    category_source: category ? 'RULE' : null,
    category_assigned_at: category ? at : null,
    created_at: at,
    updated_at: at,
  };
}

beforeAll(async () => {
  h = await startHarness('customer-list');
  [tenant, other] = await Promise.all([createTenant(h, 'List Bank'), createTenant(h, 'Other Bank')]);
  const rows = Array.from({ length: 30 }, (_, i) => customerRow(tenant.tenantId, i, new Date(BASE + Math.floor(i / 2) * 60_000)));
  rows.push(customerRow(tenant.tenantId, 30, new Date(BASE + 40 * 60_000), { email: 'Odd_Name%1@Gamma.example.com', type: 'INDIVIDUAL' }));
  rows.push(customerRow(tenant.tenantId, 31, new Date(BASE + 41 * 60_000), { email: 'oddxname%1@gamma.example.com', type: 'INDIVIDUAL' }));
  await h.db('customers').insert(rows);
  // Another tenant's customers share e-mails, statuses and categories: none may ever be listed.
  await h.db('customers').insert(Array.from({ length: 10 }, (_, i) => customerRow(other.tenantId, i, new Date(BASE + i * 60_000))));
  seeded.push(...rows.map(({ id, type, status, category, email, created_at }) => ({ id, type, status, category, email, created_at })));
});
afterAll(() => h?.close());

/** Newest first, then the id, descending: the list's order. */
const newestFirst = (a: Seeded, b: Seeded) => b.created_at.getTime() - a.created_at.getTime() || (a.id < b.id ? 1 : -1);
const expected = (keep: (row: Seeded) => boolean) => seeded.filter(keep).sort(newestFirst).map((row) => row.id);

async function everyPage(session: TenantSession, query: string, limit = 100): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res: HttpResult = await session.call('GET', `/v2/customer/profiles?limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    ids.push(...res.body.data.map((row: { customer_id: string }) => row.customer_id));
    cursor = res.body.next_cursor;
  } while (cursor);
  return ids;
}

describe('filters', () => {
  const from = new Date(BASE + 5 * 60_000);
  const to = new Date(BASE + 9 * 60_000);
  it.each<[string, string, (row: Seeded) => boolean]>([
    ['no filter', '', () => true],
    ['one status', 'status=ACTIVE', (r) => r.status === 'ACTIVE'],
    ['a status list', 'status=SUSPENDED,ONBOARDING', (r) => ['SUSPENDED', 'ONBOARDING'].includes(r.status)],
    ['a customer type', 'customer_type=ORGANIZATION', (r) => r.type === 'ORGANIZATION'],
    ['a category', 'category=PREMIUM', (r) => r.category === 'PREMIUM'],
    ['created_from (inclusive)', `created_from=${from.toISOString()}`, (r) => r.created_at >= from],
    ['created_to (inclusive)', `created_to=${encodeURIComponent(to.toISOString().replace('Z', '+00:00'))}`, (r) => r.created_at <= to],
    ['an e-mail domain prefix, any letter case', 'email=PERSON1', (r) => r.email.startsWith('person1')],
    ['a whole e-mail address', 'email=person7%40alpha.example.com', (r) => r.email === 'person7@alpha.example.com'],
    ['an e-mail prefix with LIKE wildcards, taken literally', `email=${encodeURIComponent('odd_name%')}`, (r) => r.email === 'Odd_Name%1@Gamma.example.com'],
    ['combined filters', `status=ACTIVE,PENDING_KYC&customer_type=INDIVIDUAL&category=PREMIUM&created_from=${from.toISOString()}&created_to=${to.toISOString()}`,
      (r) => ['ACTIVE', 'PENDING_KYC'].includes(r.status) && r.type === 'INDIVIDUAL' && r.category === 'PREMIUM' && r.created_at >= from && r.created_at <= to],
  ])('%s', async (_name, query, keep) => {
    const ids = expected(keep);
    expect(ids.length).toBeGreaterThan(0);
    expect(await everyPage(tenant, query)).toEqual(ids);
    expect(await everyPage(tenant, query, 2)).toEqual(ids);
  });

  it('answers each customer as a summary', async () => {
    const fresh = await createTenant(h, 'Fresh Bank');
    const customer = await register(fresh);
    const res = await fresh.call('GET', `/v2/customer/profiles?email=${encodeURIComponent(customer.email)}`);
    expect(res.body).toEqual({
      data: [{
        customer_id: customer.customerId, customer_type: 'INDIVIDUAL', status: 'PENDING_EMAIL_VERIFICATION', category: null,
        email: customer.email, first_name: 'John', last_name: 'Doe', created_at: expect.any(String),
      }],
      next_cursor: null,
    });
  });

  it("never lists another tenant's customers", async () => {
    const ids = await everyPage(other, '');
    expect(ids).toHaveLength(10);
    expect(ids.filter((id) => seeded.some((row) => row.id === id))).toEqual([]);
  });
});

describe('paging', () => {
  it('pages through all customers with no duplicate or gap while new customers register', async () => {
    const before = expected(() => true);
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: HttpResult = await tenant.call('GET', `/v2/customer/profiles?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(7);
      ids.push(...res.body.data.map((row: { customer_id: string }) => row.customer_id));
      cursor = res.body.next_cursor;
      pages += 1;
      // A customer registers between two pages: newer than every row read, so it belongs before the first page.
      await h.db('customers').insert(customerRow(tenant.tenantId, 100 + pages, new Date()));
    } while (cursor);
    expect(pages).toBe(Math.ceil(before.length / 7));
    expect(ids).toEqual(before);
    await h.db('customers').where({ tenant_id: tenant.tenantId }).whereNotIn('id', before).delete();
  });

  it('orders customers created in the same microsecond by id, across a page boundary', async () => {
    const tied = expected((r) => r.created_at.getTime() === BASE);
    expect(tied).toHaveLength(2);
    const firstPage = await tenant.call('GET', `/v2/customer/profiles?limit=1&created_to=${new Date(BASE).toISOString()}`);
    expect(firstPage.body.data.map((r: { customer_id: string }) => r.customer_id)).toEqual([tied[0]]);
    const second = await tenant.call('GET', `/v2/customer/profiles?limit=1&created_to=${new Date(BASE).toISOString()}&cursor=${firstPage.body.next_cursor}`);
    expect(second.body).toEqual({ data: [expect.objectContaining({ customer_id: tied[1] })], next_cursor: null });
  });
});

describe('400 VALIDATION_ERROR naming the parameter', () => {
  it.each<[string, string, string]>([
    ['an unknown status', 'status=ASLEEP', 'status.0'],
    ['an empty status in a list', 'status=ACTIVE,', 'status.1'],
    ['a repeated parameter', 'status=ACTIVE&status=CLOSED', 'status'],
    ['an unknown customer type', 'customer_type=PERSON', 'customer_type'],
    ['a malformed category', 'category=premium', 'category'],
    ['a created_from that is not a date-time', 'created_from=yesterday', 'created_from'],
    ['a created_to without a time', 'created_to=2026-01-01', 'created_to'],
    ['year zero', 'created_from=0000-01-01T00:00:00Z', 'created_from'],
    ['created_from after created_to', 'created_from=2026-02-01T00:00:00Z&created_to=2026-01-01T00:00:00Z', 'created_from'],
    ['an e-mail search with a space', 'email=a%20b', 'email'],
    ['an e-mail search with a NUL', 'email=a%00b', 'email'],
    ['limit 0', 'limit=0', 'limit'],
    ['limit 101', 'limit=101', 'limit'],
    ['a limit that is not a number', 'limit=ten', 'limit'],
    ['an unknown parameter', 'page=2', 'page'],
    ['a cursor that is not one', 'cursor=bm90LWEtY3Vyc29y', 'cursor'],
  ])('%s', async (_name, query, field) => {
    expectValidationError(await tenant.call('GET', `/v2/customer/profiles?${query}`), field);
  });

  it('refuses a tampered cursor, and one made for other filters', async () => {
    const page = await tenant.call('GET', '/v2/customer/profiles?limit=2&status=ACTIVE');
    const cursor = page.body.next_cursor as string;
    const [at, id, made] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const bad of [forged([at, `${id}'--`, made]), forged(['0000-01-01T00:00:00.000000Z', id, made]), forged([at, id]), `${cursor}x`]) {
      expectValidationError(await tenant.call('GET', `/v2/customer/profiles?limit=2&status=ACTIVE&cursor=${bad}`), 'cursor');
    }
    expectValidationError(await tenant.call('GET', `/v2/customer/profiles?limit=2&status=SUSPENDED&cursor=${cursor}`), 'cursor');
    expect((await tenant.call('GET', `/v2/customer/profiles?limit=5&status=ACTIVE&cursor=${cursor}`)).status).toBe(200);
  });

  it('answers 401 without a token', async () => {
    expect((await http(h.api.url, 'GET', '/v2/customer/profiles')).status).toBe(401);
  });
});

describe('indexes', () => {
  it('reads each filter as an index range, never a sequential scan of customers', async () => {
    const bulk = await Promise.all([createTenant(h, 'Bulk A'), createTenant(h, 'Bulk B')]);
    for (const { tenantId } of bulk) {
      for (let chunk = 0; chunk < 4; chunk += 1) {
        const rows = Array.from({ length: 500 }, (_, j) => chunk * 500 + j).map((i) => customerRow(tenantId, i, new Date(BASE + i * 1000), { email: `bulk${i}@example.com` }));
        await h.db('customers').insert(rows);
      }
    }
    await h.db.raw('analyze customers');
    const { customerListQuery, customerListSql } = await import('../../api/profiles/customer-list');
    const queries: Array<Record<string, string>> = [
      {},
      { status: 'ACTIVE' },
      { status: 'ACTIVE,SUSPENDED' },
      { customer_type: 'ORGANIZATION' },
      { category: 'PREMIUM' },
      { created_from: new Date(BASE + 100_000).toISOString(), created_to: new Date(BASE + 200_000).toISOString() },
      { email: 'bulk12' },
      { email: 'bulk1234@' },
    ];
    for (const query of queries) {
      const sql = customerListSql(h.db, bulk[0].tenantId, customerListQuery.parse(query)).toString();
      const [{ Plan: plan }] = (await h.db.raw(`explain (format json) ${sql}`)).rows[0]['QUERY PLAN'];
      const nodes: Array<{ 'Node Type': string; 'Index Name'?: string }> = [];
      const walk = (node: { Plans?: unknown[] } & (typeof nodes)[number]) => { nodes.push(node); (node.Plans ?? []).forEach((child) => walk(child as never)); };
      walk(plan);
      const scans = nodes.filter((node) => /Scan/.test(node['Node Type'])).map((node) => `${node['Node Type']} ${node['Index Name'] ?? ''}`.trim());
      console.log(`plan for ${JSON.stringify(query)}: ${scans.join(', ')}`);
      expect(scans).not.toContainEqual(expect.stringMatching(/^Seq Scan/));
      expect(scans.length).toBeGreaterThan(0);
    }
  });
});
