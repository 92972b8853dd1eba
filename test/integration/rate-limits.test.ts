/**
 * Rate limits as a tenant and a provider see them: a tenant's budget per minute by tier, shared by every API
 * process (two real `tsx api/main.ts` processes on one PostgreSQL store), seed 000's 429 body with Retry-After,
 * the RateLimit-* headers on every answer, a tier change applying at once, and per-IP budgets on the token
 * endpoint and the provider webhooks.
 */
import type { TenantTier } from '../../common/statuses';
import { createLogger } from '../../common/logger';
import { startApiServer, type RunningApi } from '../../api/server';
import { startApiProcess, type ApiProcess } from '../support/api-process';
import { startHarness, type Harness } from '../support/harness';
import { CHEAP_GET, cheapGets, expectRefused, limitHeaders, tenantWithTier } from '../support/rate-limits';
import { createTenant, http } from '../support/tenant-client';
import { staffHeaders } from '../support/staff';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('rate_limits', { withWorker: false });
});
afterAll(() => h?.close());

describe('a tenant budget shared by two API processes', () => {
  let processes: ApiProcess[] = [];
  beforeAll(async () => {
    processes = await Promise.all([startApiProcess(h), startApiProcess(h)]);
  }, 180_000);
  afterAll(() => Promise.all(processes.map((p) => p.stop())));

  it('serves a STARTER tenant 100 requests in a minute across both processes and refuses the 101st on either', async () => {
    const [a, b] = processes;
    const starter = await tenantWithTier(h, 'STARTER', a.url);
    // 50 to each process, ten at a time.
    const served = await cheapGets([a.url, b.url], starter.headers, 100);
    expect(served.map((res) => res.status)).toEqual(Array(100).fill(200));
    // One counter for both: every request drew a different place in the one budget of 100.
    expect(served.map((res) => Number(res.headers.get('ratelimit-remaining'))).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(new Set(served.map((res) => res.headers.get('ratelimit-limit')))).toEqual(new Set(['100']));

    expectRefused(await http(a.url, 'GET', CHEAP_GET, { headers: starter.headers }), 100);
    expectRefused(await http(b.url, 'GET', CHEAP_GET, { headers: starter.headers }), 100);
    // The in-process API of this test file counts in the same store.
    expectRefused(await http(h.api.url, 'GET', CHEAP_GET, { headers: starter.headers }), 100);
  }, 180_000);
});

describe('the RateLimit headers', () => {
  it('come with successes and with errors of a tenant route, counting down the tier budget', async () => {
    const professional = await createTenant(h, 'Headers Bank');
    const ok = await professional.call('GET', CHEAP_GET);
    expect(ok.status).toBe(200);
    expect(limitHeaders(ok)).toEqual({ limit: '500', remaining: '499', reset: expect.any(Number) });
    expect(limitHeaders(ok).reset).toBeGreaterThanOrEqual(1);
    expect(limitHeaders(ok).reset).toBeLessThanOrEqual(60);

    const missing = await professional.call('GET', '/api/v2.1/customer/cus_doesnotexist00000000');
    expect(missing.status).toBeGreaterThanOrEqual(400);
    expect(limitHeaders(missing)).toMatchObject({ limit: '500', remaining: '498' });
    const invalid = await professional.call('POST', '/api/v2.1/customer/individual/registration', { unexpected: true });
    expect(invalid.status).toBe(400);
    expect(limitHeaders(invalid)).toMatchObject({ limit: '500', remaining: '497' });
  });

  it('are described, with the 429, in the OpenAPI document of limited routes only', async () => {
    const doc = (await http(h.api.url, 'GET', '/openapi.json')).body;
    const reference = doc.paths[CHEAP_GET].get.responses;
    expect(reference['429'].content['application/json'].schema.$ref).toBe('#/components/schemas/RateLimitError');
    expect(Object.keys(reference['200'].headers)).toEqual(['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']);
    expect(Object.keys(reference['429'].headers)).toContain('Retry-After');
    expect(doc.paths['/api/v2.1/oauth/token'].post.responses['429']).toBeDefined();
    expect(doc.paths['/api/v2.1/webhooks/kyc/{provider}'].post.responses['429']).toBeDefined();
    expect(doc.paths['/api/v2.1/admin/tenants'].post.responses['429']).toBeUndefined();
    // A route with a 429 of its own (a code asked again too soon) keeps that description beside the budget's.
    const ownTooSoon = Object.values<any>(doc.paths).flatMap((item) => Object.values<any>(item)).map((op) => op.responses['429']?.description ?? '').filter((d: string) => d.startsWith('Asked again too soon'));
    expect(ownTooSoon.length).toBeGreaterThan(0);
    for (const description of ownTooSoon) expect(description).toContain('too many requests in this minute');
  });
});

describe('a tier change', () => {
  // The platform admin's tier route belongs to the tenancy-admin work; the row it writes is written here directly.
  const setTier = (tenantId: string, tier: TenantTier, custom?: number) =>
    h.db('tenants').where({ id: tenantId }).update({ tier, custom_rate_limit_per_minute: custom ?? null });

  it('applies to the next request, with what was used this minute carried over', async () => {
    const tenant = await tenantWithTier(h, 'STARTER');
    const get = () => http(h.api.url, 'GET', CHEAP_GET, { headers: tenant.headers });
    expect(limitHeaders(await get())).toMatchObject({ limit: '100', remaining: '99' });

    await setTier(tenant.tenantId, 'ENTERPRISE');
    expect(limitHeaders(await get())).toMatchObject({ limit: '2000', remaining: '1998' });

    await setTier(tenant.tenantId, 'CUSTOM', 4);
    const last = await get();
    expect(last.status).toBe(200);
    expect(limitHeaders(last)).toMatchObject({ limit: '4', remaining: '1' });
    expect((await get()).status).toBe(200);
    expectRefused(await get(), 4);
  });
});

describe('one budget per tenant', () => {
  it("is shared by the tenant's OAuth token and its v1 API key", async () => {
    const tenant = await tenantWithTier(h, 'CUSTOM');
    await h.db('tenants').where({ id: tenant.tenantId }).update({ custom_rate_limit_per_minute: 2 });
    const issued = await http(h.api.url, 'POST', `/api/v2.1/admin/tenants/${tenant.tenantId}/api-keys`, {
      body: { label: 'v1' },
      headers: await staffHeaders(h, 'PLATFORM_ADMIN'),
    });
    expect(issued.status).toBe(201);
    const v1 = () => http(h.api.url, 'POST', '/api/v1/customers', { body: {}, headers: { 'x-api-key': issued.body.apiKey } });

    const invalid = await v1();
    expect(invalid.status).toBe(400);
    expect(limitHeaders(invalid)).toMatchObject({ limit: '2', remaining: '1' });
    expect(limitHeaders(await http(h.api.url, 'GET', CHEAP_GET, { headers: tenant.headers }))).toMatchObject({ limit: '2', remaining: '0' });
    expectRefused(await v1(), 2);
  });
});

describe('per-IP budgets on public routes', () => {
  let api: RunningApi;
  beforeAll(async () => {
    const config = { ...h.config, RATE_LIMIT_TOKEN_PER_IP_PER_MINUTE: 3, RATE_LIMIT_WEBHOOK_PER_IP_PER_MINUTE: 2 };
    api = await startApiServer(config, h.secrets, { db: h.db, temporal: h.temporal, logger: createLogger('silent', 'test') }, 0);
  });
  afterAll(() => api?.close());

  // The API trusts a proxy on loopback: X-Forwarded-For names the client, as a reverse proxy on this machine would.
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  it('refuses a fourth token request in a minute from one address, and still serves another address', async () => {
    const tenant = await createTenant(h, 'Token Bank');
    const form = { grant_type: 'client_credentials', client_id: tenant.clientId, client_secret: tenant.clientSecret };
    const token = (ip: string) => http(api.url, 'POST', '/api/v2.1/oauth/token', { body: form, headers: from(ip) });
    for (const remaining of ['2', '1', '0']) {
      const res = await token('203.0.113.7');
      expect(res.status).toBe(200);
      expect(limitHeaders(res)).toMatchObject({ limit: '3', remaining });
    }
    expectRefused(await token('203.0.113.7'), 3);
    const other = await token('203.0.113.8');
    expect(other.status).toBe(200);
    expect(limitHeaders(other)).toMatchObject({ limit: '3', remaining: '2' });
  });

  it('refuses the provider webhooks past their budget per address, before any signature is checked', async () => {
    const webhook = (kind: 'kyc' | 'kyb') => http(api.url, 'POST', `/api/v2.1/webhooks/${kind}/sandbox`, { body: { unsigned: true }, headers: from('198.51.100.4') });
    const first = await webhook('kyc');
    expect(first.status).toBe(401);
    expect(limitHeaders(first)).toMatchObject({ limit: '2', remaining: '1' });
    expect((await webhook('kyb')).status).toBe(401);
    expectRefused(await webhook('kyc'), 2);
    expectRefused(await webhook('kyb'), 2);
  });
});

describe('the rate_limits migration', () => {
  it('rolls back and forward, leaving an unlogged table', async () => {
    const { migrationSource } = await import('../../migrations');
    await h.db.migrate.down({ migrationSource, name: '20261127008000_create_rate_limits' });
    expect(await h.db.schema.hasTable('rate_limits')).toBe(false);
    await h.db.migrate.latest({ migrationSource });
    const table = await h.db('pg_class').where({ relname: 'rate_limits' }).first('relpersistence');
    expect(table).toEqual({ relpersistence: 'u' });
  });
});
