/**
 * The capability gate over HTTP: a tenant route answers only a tenant whose tier (or CUSTOM set) holds its
 * capability, with seed 000's exact 403 before anything is read or written; a tier change applies to the next
 * request. The OpenAPI document is walked so every tenant route is covered, including ones added later.
 */
import { startHarness, type Harness } from '../support/harness';
import { organization, organizationRegistration } from '../support/organizations';
import { asPlatformAdmin, changeTenantAccess, INSUFFICIENT_PERMISSIONS, tenantWithAccess } from '../support/tenancy';
import { http, registration, type TenantSession } from '../support/tenant-client';

interface Operation {
  method: string;
  path: string;
  security: Array<Record<string, string[]>>;
  capabilities: string[];
  /** The 403 response's description. */
  forbidden?: string;
}

let h: Harness;
let operations: Operation[];

beforeAll(async () => {
  h = await startHarness('capability_gate');
  const document = (await http(h.api.url, 'GET', '/openapi.json')).body;
  operations = Object.entries(document.paths as Record<string, Record<string, { security?: Operation['security']; description?: string; responses?: Record<string, { description: string }> }>>).flatMap(
    ([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        security: op.security ?? [],
        capabilities: /^Capability: ([A-Z0-9 or]+)\./.exec(op.description ?? '')?.[1].split(' or ') ?? [],
        forbidden: op.responses?.['403']?.description,
      })),
  );
});
afterAll(() => h?.close());

const isTenantRoute = (op: Operation) => op.security.some((scheme) => 'tenant' in scheme || 'apiKey' in scheme);
/** Any value does for a path parameter: the gate answers before the route reads its parameters. */
const concretePath = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'status' ? 'ONBOARDING' : `${name.slice(0, 3).toLowerCase()}_${'0'.repeat(24)}`));
const send = (tenant: TenantSession, op: Pick<Operation, 'method' | 'path'>, body?: unknown) =>
  http(h.api.url, op.method, concretePath(op.path), { body: op.method === 'GET' || op.method === 'DELETE' ? undefined : (body ?? {}), headers: { ...tenant.headers, 'idempotency-key': `gate-${op.method}-${op.path}` } });

/** Rows a tenant owns in any table but its own credentials: none after refused calls. */
/** Rows of the tenant's own data (the audit trail, which records refused attempts too, is checked apart). */
async function rowsOwnedBy(tenantId: string): Promise<Record<string, number>> {
  const tables = await h.db('information_schema.columns').where({ table_schema: 'public', column_name: 'tenant_id' }).whereNotIn('table_name', ['oauth_clients', 'api_keys', 'audit_events']).pluck('table_name');
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [{ count }] = await h.db(table).where({ tenant_id: tenantId }).count<{ count: string }[]>({ count: '*' });
    if (Number(count) > 0) counts[table] = Number(count);
  }
  return counts;
}

describe('the OpenAPI document', () => {
  it('names a capability, and the 403 for lacking it, on every tenant route', () => {
    const tenantRoutes = operations.filter(isTenantRoute);
    expect(tenantRoutes.length).toBeGreaterThan(30);
    for (const op of tenantRoutes) {
      expect({ route: `${op.method} ${op.path}`, capabilities: op.capabilities, forbidden: op.forbidden }).toEqual({
        route: `${op.method} ${op.path}`,
        capabilities: expect.arrayContaining([expect.stringMatching(/^SCT(01|02|11|12)$/)]),
        forbidden: expect.stringContaining('Insufficient permissions'),
      });
    }
  });
});

describe('a STARTER tenant (SCT01)', () => {
  it('gets exactly 403 Insufficient permissions on every route that needs B2B (SCT02) or documents (SCT11), and nothing is stored', async () => {
    const starter = await tenantWithAccess(h, { tier: 'STARTER' });
    const refused = operations.filter((op) => isTenantRoute(op) && !op.capabilities.includes('SCT01'));
    const paths = refused.map((op) => op.path);
    expect(paths).toEqual(expect.arrayContaining(['/v2/organization', '/api/v2.1/customer/organization/registration', '/api/v2.1/customer/{customerId}/documents']));
    expect(paths.some((path) => path.includes('/directors'))).toBe(true);
    expect(paths.some((path) => path.startsWith('/v2/kyb/'))).toBe(true);
    for (const op of refused) {
      const res = await send(starter, op);
      expect({ route: `${op.method} ${op.path}`, status: res.status, body: res.body }).toEqual({ route: `${op.method} ${op.path}`, status: 403, body: INSUFFICIENT_PERMISSIONS });
    }
    // Valid bodies too: the gate answers before the body is looked at.
    expect((await send(starter, { method: 'POST', path: '/v2/organization' }, organization())).body).toEqual(INSUFFICIENT_PERMISSIONS);
    expect((await send(starter, { method: 'POST', path: '/api/v2.1/customer/organization/registration' }, organizationRegistration())).body).toEqual(INSUFFICIENT_PERMISSIONS);
    expect(await rowsOwnedBy(starter.tenantId)).toEqual({});
    // The audit trail records the refused attempts (by design: who tried what matters).
    const refusedRows = await h.db('audit_events').where({ tenant_id: starter.tenantId, actor_type: 'tenant', status: 403 }).count<{ count: string }[]>({ count: '*' });
    expect(Number(refusedRows[0].count)).toBeGreaterThan(0);
  });

  it('registers an individual (B2C) as before', async () => {
    const starter = await tenantWithAccess(h, { tier: 'STARTER' });
    const res = await starter.call('POST', '/api/v2.1/customer/individual/registration', registration());
    expect(res.status).toBe(201);
    expect(await h.db('customers').where({ tenant_id: starter.tenantId })).toHaveLength(1);
  });

  it('reaches B2B on its next request once the platform admin changes its tier, and loses it when changed back', async () => {
    const tenant = await tenantWithAccess(h, { tier: 'STARTER' });
    expect((await tenant.call('POST', '/v2/organization', organization())).status).toBe(403);
    await changeTenantAccess(h, tenant.tenantId, { tier: 'PROFESSIONAL' });
    const created = await tenant.call('POST', '/v2/organization', organization());
    expect(created.status).toBe(201);
    await changeTenantAccess(h, tenant.tenantId, { tier: 'STARTER' });
    expect((await tenant.call('GET', `/v2/organization/${created.body.organizationId}`)).body).toEqual(INSUFFICIENT_PERMISSIONS);
  });
});

describe('a CUSTOM tenant', () => {
  it('holds exactly the capabilities configured for it', async () => {
    const custom = await tenantWithAccess(h, { tier: 'CUSTOM', customCapabilities: ['SCT02'] });
    expect((await asPlatformAdmin(h, 'GET', `/api/v2.1/admin/tenants/${custom.tenantId}`)).body.capabilities).toEqual(['SCT02']);
    expect((await custom.call('POST', '/v2/organization', organization())).status).toBe(201);
    expect((await custom.call('POST', '/api/v2.1/customer/individual/registration', registration())).body).toEqual(INSUFFICIENT_PERMISSIONS);
    expect((await custom.call('GET', `/api/v2.1/customer/cust_${'0'.repeat(24)}/documents`)).body).toEqual(INSUFFICIENT_PERMISSIONS);

    await changeTenantAccess(h, custom.tenantId, { customCapabilities: ['SCT01', 'SCT11'] });
    expect((await custom.call('POST', '/v2/organization', organization())).body).toEqual(INSUFFICIENT_PERMISSIONS);
    expect((await custom.call('POST', '/api/v2.1/customer/individual/registration', registration())).status).toBe(201);
  });

  it('is gated on the v1 API-key route as well', async () => {
    const custom = await tenantWithAccess(h, { tier: 'CUSTOM', customCapabilities: ['SCT02'] });
    const { apiKey } = (await asPlatformAdmin(h, 'POST', `/api/v2.1/admin/tenants/${custom.tenantId}/api-keys`, { label: 'v1' })).body;
    const v1 = (body: unknown) => http(h.api.url, 'POST', '/api/v1/customers', { body, headers: { 'x-api-key': apiKey } });
    const refused = await v1(registration());
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual(INSUFFICIENT_PERMISSIONS);
    expect(await h.db('customers').where({ tenant_id: custom.tenantId })).toHaveLength(0);
    await changeTenantAccess(h, custom.tenantId, { customCapabilities: ['SCT01'] });
    expect((await v1(registration())).status).toBe(201);
  });
});

describe('the cost of the gate', () => {
  /** SQL the API ran while `call` was in flight (this file's API shares the test's knex instance). */
  async function queriesDuring(call: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = [];
    const record = (query: { sql: string }) => seen.push(query.sql);
    h.db.on('query', record);
    try {
      await call();
    } finally {
      h.db.removeListener('query', record);
    }
    return seen;
  }
  const credentialOrAccessReads = (sql: string[]) => sql.filter((q) => /"(tenants|oauth_clients|api_keys)"/.test(q));

  it("reads the tenant's access once per request, in the same query that checks the credential is live", async () => {
    const tenant = await tenantWithAccess(h, { tier: 'PROFESSIONAL' });
    const bearer = await queriesDuring(() => tenant.call('GET', '/v2/customer/status/ACTIVE'));
    expect(credentialOrAccessReads(bearer)).toHaveLength(1);

    const { apiKey } = (await asPlatformAdmin(h, 'POST', `/api/v2.1/admin/tenants/${tenant.tenantId}/api-keys`, { label: 'v1' })).body;
    // v1 takes no phone: the 400 comes after the guard and the gate, before any onboarding starts.
    const v1 = await queriesDuring(() => http(h.api.url, 'POST', '/api/v1/customers', { body: { ...registration(), phone: '+14155552671' }, headers: { 'x-api-key': apiKey } }));
    expect(credentialOrAccessReads(v1)).toHaveLength(1);
  });
});
