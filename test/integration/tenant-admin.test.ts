/**
 * The platform admin's tenant routes over HTTP: list and read tenants, change tier / custom settings / countries,
 * and manage OAuth clients and API keys — where a revoked credential, a rotated secret and a rotated key stop at
 * the next request. Staff routes are called with the platform token (the staff stand-in); TENANT_ADMIN scoping is
 * proven on the same routes mounted behind a guard that acts as one tenant's TENANT_ADMIN.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Actor } from '../../api/auth/actor';
import { errorHandler } from '../../api/http/errors';
import { createRegistry } from '../../api/http/openapi';
import type { Mount } from '../../api/http/route';
import { mountAdminApiKeyRoutes } from '../../api/tenancy/admin-api-key-routes';
import { mountAdminOAuthClientRoutes } from '../../api/tenancy/admin-oauth-client-routes';
import { mountAdminTenantRoutes } from '../../api/tenancy/admin-tenant-routes';
import { createApiKeyService } from '../../api/tenancy/api-keys';
import { createOAuthClientService } from '../../api/tenancy/oauth-clients';
import { createTenantSettingsService } from '../../api/tenancy/tenant-settings';
import { createTenantService } from '../../api/tenancy/tenants';
import { createLogger } from '../../common/logger';
import { expectValidationError } from '../support/expectations';
import { startHarness, type Harness } from '../support/harness';
import { asPlatformAdmin } from '../support/tenancy';
import { createTenant, http, registration, type TenantSession } from '../support/tenant-client';

const UNKNOWN_TENANT = 'tnt_000000000000000000000000';
const REGISTER = '/api/v2.1/customer/individual/registration';

let h: Harness;
let tenant: TenantSession;

// The edge is under test: no worker runs, so a call the guards let through answers without a workflow behind it.
beforeAll(async () => {
  h = await startHarness('tenant_admin', { withWorker: false });
  tenant = await createTenant(h, 'Admin Test Bank');
});
afterAll(() => h?.close());

const admin = (method: string, path: string, body?: unknown) => asPlatformAdmin(h, method, path, body);
const tokenFor = (clientId: string, clientSecret: string) =>
  http(h.api.url, 'POST', '/api/v2.1/oauth/token', { body: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } });
/** A tenant route that reads only (the customer list): 200 while the token is good, 401 once it is not. */
const listCustomers = (token: string, tenantId = tenant.tenantId) =>
  http(h.api.url, 'GET', '/v2/customer/status/ACTIVE', { headers: { authorization: `Bearer ${token}`, 'x-tenant-id': tenantId } });

describe('tenants', () => {
  it('lists tenants page by page, oldest first, with what each holds', async () => {
    const second = await createTenant(h, 'Second Bank');
    const first = await admin('GET', '/api/v2.1/admin/tenants?page=1&page_size=1');
    expect(first.status).toBe(200);
    expect(first.body.pagination).toEqual({ page: 1, page_size: 1, total: expect.any(Number) });
    expect(first.body.data).toEqual([
      {
        tenantId: tenant.tenantId,
        name: 'Admin Test Bank',
        tier: 'PROFESSIONAL',
        capabilities: ['SCT01', 'SCT02', 'SCT11'],
        ratePerMinute: 500,
        customCapabilities: null,
        customRatePerMinute: null,
        countries: null,
        createdAt: expect.any(String),
      },
    ]);
    const all = await admin('GET', `/api/v2.1/admin/tenants?page_size=100`);
    expect(all.body.data.map((t: { tenantId: string }) => t.tenantId)).toEqual(expect.arrayContaining([tenant.tenantId, second.tenantId]));
    expect(all.body.pagination.total).toBe(all.body.data.length);
    expectValidationError(await admin('GET', '/api/v2.1/admin/tenants?page_size=0'), 'page_size');
  });

  it('reads one tenant, and answers 404 for an unknown one', async () => {
    const res = await admin('GET', `/api/v2.1/admin/tenants/${tenant.tenantId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tenantId: tenant.tenantId, tier: 'PROFESSIONAL', capabilities: ['SCT01', 'SCT02', 'SCT11'] });
    expect(await admin('GET', `/api/v2.1/admin/tenants/${UNKNOWN_TENANT}`)).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    expect(await admin('PATCH', `/api/v2.1/admin/tenants/${UNKNOWN_TENANT}`, { tier: 'STARTER' })).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
  });

  it('changes the tier, the custom capabilities and limit, and the countries; leaving CUSTOM clears the custom settings', async () => {
    const { tenantId } = await createTenant(h, 'Changing Bank');
    const path = `/api/v2.1/admin/tenants/${tenantId}`;
    const custom = await admin('PATCH', path, { tier: 'CUSTOM', customCapabilities: ['SCT12', 'SCT01', 'SCT12'], customRatePerMinute: 750, countries: ['GB', 'DE'] });
    expect(custom.status).toBe(200);
    expect(custom.body).toMatchObject({ tier: 'CUSTOM', capabilities: ['SCT01', 'SCT12'], ratePerMinute: 750, customCapabilities: ['SCT01', 'SCT12'], customRatePerMinute: 750, countries: ['DE', 'GB'] });
    expect(await h.db('tenants').where({ id: tenantId }).first()).toMatchObject({ tier: 'CUSTOM', custom_capabilities: ['SCT01', 'SCT12'], custom_rate_limit_per_minute: 750, countries: ['DE', 'GB'] });

    const enterprise = await admin('PATCH', path, { tier: 'ENTERPRISE', countries: null });
    expect(enterprise.body).toMatchObject({ tier: 'ENTERPRISE', capabilities: ['SCT01', 'SCT02', 'SCT11', 'SCT12'], ratePerMinute: 2000, customCapabilities: null, customRatePerMinute: null, countries: null });
    // Back to CUSTOM without settings: the Starter set and limit until the platform admin configures some.
    expect((await admin('PATCH', path, { tier: 'CUSTOM' })).body).toMatchObject({ capabilities: ['SCT01'], ratePerMinute: 100, customCapabilities: null });
  });

  it('refuses custom settings for a tier other than CUSTOM, naming each field, and changes nothing', async () => {
    const path = `/api/v2.1/admin/tenants/${tenant.tenantId}`;
    const res = await admin('PATCH', path, { customCapabilities: ['SCT12'], customRatePerMinute: 9000 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'VALIDATION_ERROR',
      message: 'Custom capabilities and rate limit apply to CUSTOM tenants only',
      details: [
        { field: 'customCapabilities', message: "Only a CUSTOM tenant has custom settings; this tenant's tier would be PROFESSIONAL" },
        { field: 'customRatePerMinute', message: "Only a CUSTOM tenant has custom settings; this tenant's tier would be PROFESSIONAL" },
      ],
    });
    expectValidationError(await admin('PATCH', path, { tier: 'STARTER', customRatePerMinute: 50 }), 'customRatePerMinute');
    expect(await h.db('tenants').where({ id: tenant.tenantId }).first()).toMatchObject({ tier: 'PROFESSIONAL', custom_capabilities: null, custom_rate_limit_per_minute: null });
  });

  it('validates the change: ISO 3166-1 alpha-2 countries, known capability codes, a positive limit, at least one field', async () => {
    const path = `/api/v2.1/admin/tenants/${tenant.tenantId}`;
    expectValidationError(await admin('PATCH', path, { countries: ['DE', 'XX'] }), 'countries.1', 'Unknown ISO 3166-1 alpha-2 country code');
    expectValidationError(await admin('PATCH', path, { countries: ['DEU'] }), 'countries.0', 'Must be an ISO 3166-1 alpha-2 country code, e.g. DE');
    expectValidationError(await admin('PATCH', path, { countries: [] }), 'countries');
    expectValidationError(await admin('PATCH', path, { tier: 'CUSTOM', customCapabilities: ['SCT03'] }), 'customCapabilities.0');
    expectValidationError(await admin('PATCH', path, { tier: 'CUSTOM', customRatePerMinute: 0 }), 'customRatePerMinute');
    expectValidationError(await admin('PATCH', path, { tier: 'GOLD' }), 'tier');
    expectValidationError(await admin('PATCH', path, {}), 'body');
    expectValidationError(await admin('PATCH', path, { name: 'Renamed' }), 'name');
    expect((await h.db('tenants').where({ id: tenant.tenantId }).first()).tier).toBe('PROFESSIONAL');
  });
});

describe('OAuth clients', () => {
  const clientsPath = (tenantId = tenant.tenantId) => `/api/v2.1/admin/tenants/${tenantId}/oauth-clients`;

  it('adds a client whose secret is shown once and works at once; the list never shows a secret', async () => {
    const created = await admin('POST', clientsPath(), { label: 'payments service' });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.body).toEqual({ clientId: expect.stringMatching(/^cli_[0-9a-f]{24}$/), label: 'payments service', createdAt: expect.any(String), secretRotatedAt: null, revokedAt: null, clientSecret: expect.stringMatching(/^cs_/) });
    const token = await tokenFor(created.body.clientId, created.body.clientSecret);
    expect((await listCustomers(token.body.access_token)).status).toBe(200);

    const list = await admin('GET', clientsPath());
    expect(list.body.data.map((c: { clientId: string }) => c.clientId)).toEqual([tenant.clientId, created.body.clientId]);
    expect(JSON.stringify(list.body)).not.toContain('cs_');
    expect(await admin('GET', clientsPath(UNKNOWN_TENANT))).toMatchObject({ status: 404 });
    expect(await admin('POST', clientsPath(UNKNOWN_TENANT), { label: 'x' })).toMatchObject({ status: 404 });
  });

  it('rotates a secret: the old secret gets no token and tokens issued before the rotation are refused at their next request', async () => {
    const { clientId, clientSecret } = (await admin('POST', clientsPath(), { label: 'to rotate' })).body;
    const before = (await tokenFor(clientId, clientSecret)).body.access_token;
    expect((await listCustomers(before)).status).toBe(200);

    const rotated = await admin('POST', `${clientsPath()}/${clientId}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ clientId, secretRotatedAt: expect.any(String), revokedAt: null, clientSecret: expect.stringMatching(/^cs_/) });
    expect(rotated.body.clientSecret).not.toBe(clientSecret);

    expect(await listCustomers(before)).toMatchObject({ status: 401, body: { error: 'UNAUTHORIZED', message: 'The access token is no longer valid' } });
    expect(await tokenFor(clientId, clientSecret)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const after = (await tokenFor(clientId, rotated.body.clientSecret)).body.access_token;
    expect((await listCustomers(after)).status).toBe(200);
  });

  it("revokes a client: its tokens are refused at their next request, on every tenant route, and it gets no new one", async () => {
    const { clientId, clientSecret } = (await admin('POST', clientsPath(), { label: 'to revoke' })).body;
    const token = (await tokenFor(clientId, clientSecret)).body.access_token;
    expect((await listCustomers(token)).status).toBe(200);

    const revoked = await admin('DELETE', `${clientsPath()}/${clientId}`);
    expect(revoked).toMatchObject({ status: 200, body: { clientId, revokedAt: expect.any(String) } });
    expect((await listCustomers(token)).status).toBe(401);
    const headers = { authorization: `Bearer ${token}`, 'x-tenant-id': tenant.tenantId };
    const register = await http(h.api.url, 'POST', REGISTER, { body: registration(), headers });
    expect(register).toMatchObject({ status: 401, body: { error: 'UNAUTHORIZED' } });
    expect(await h.db('customers').where({ tenant_id: tenant.tenantId })).toHaveLength(0);
    expect(await tokenFor(clientId, clientSecret)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });

    // Revoking again keeps the first time; a revoked client's secret cannot be rotated back to life.
    expect((await admin('DELETE', `${clientsPath()}/${clientId}`)).body.revokedAt).toBe(revoked.body.revokedAt);
    expect(await admin('POST', `${clientsPath()}/${clientId}/rotate-secret`)).toMatchObject({ status: 409, body: { error: 'CONFLICT' } });
    // The tenant's other clients are untouched.
    expect((await listCustomers(tenant.token)).status).toBe(200);
  });

  it("answers 404 for another tenant's client, and leaves it alone", async () => {
    const other = await createTenant(h, 'Other Bank');
    expect(await admin('DELETE', `${clientsPath()}/${other.clientId}`)).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    expect(await admin('POST', `${clientsPath()}/${other.clientId}/rotate-secret`)).toMatchObject({ status: 404 });
    expect((await listCustomers(other.token, other.tenantId)).status).toBe(200);
  });
});

describe('API keys', () => {
  const keysPath = (tenantId = tenant.tenantId) => `/api/v2.1/admin/tenants/${tenantId}/api-keys`;
  const v1 = (apiKey: string) => http(h.api.url, 'POST', '/api/v1/customers', { body: { ...registration(), phone: '+14155552671' }, headers: { 'x-api-key': apiKey } });

  it('lists, rotates and revokes keys; a rotated or revoked key is refused at its next request', async () => {
    const issued = (await admin('POST', keysPath(), { label: 'v1 backend' })).body;
    // A body v1 refuses (it takes no phone) proves the key got past the guard, without starting an onboarding.
    expect((await v1(issued.apiKey)).status).toBe(400);

    const list = await admin('GET', keysPath());
    expect(list.body.data).toEqual([{ keyId: issued.keyId, label: 'v1 backend', prefix: issued.prefix, createdAt: expect.any(String), rotatedAt: null, revokedAt: null }]);
    expect(JSON.stringify(list.body)).not.toContain(issued.apiKey);

    const rotated = await admin('POST', `${keysPath()}/${issued.keyId}/rotate`);
    expect(rotated).toMatchObject({ status: 200, body: { keyId: issued.keyId, label: 'v1 backend', rotatedAt: expect.any(String), apiKey: expect.stringMatching(/^ak_/) } });
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    expect(await v1(issued.apiKey)).toMatchObject({ status: 401, body: { error: 'UNAUTHORIZED' } });
    expect((await v1(rotated.body.apiKey)).status).toBe(400);

    const revoked = await admin('DELETE', `${keysPath()}/${issued.keyId}`);
    expect(revoked).toMatchObject({ status: 200, body: { keyId: issued.keyId, revokedAt: expect.any(String) } });
    expect(await v1(rotated.body.apiKey)).toMatchObject({ status: 401, body: { error: 'UNAUTHORIZED' } });
    expect(await admin('POST', `${keysPath()}/${issued.keyId}/rotate`)).toMatchObject({ status: 409 });
    expect(await admin('DELETE', `${keysPath(UNKNOWN_TENANT)}/${issued.keyId}`)).toMatchObject({ status: 404 });
    expect(await admin('GET', keysPath(UNKNOWN_TENANT))).toMatchObject({ status: 404 });
  });
});

describe('a TENANT_ADMIN', () => {
  /** The admin routes on this file's database, behind a guard that acts as `tenantId`'s TENANT_ADMIN (staff sessions stand-in). */
  async function asTenantAdminOf(tenantId: string) {
    const actor: Actor = { type: 'staff', id: 'stf_tenant_admin', roles: ['TENANT_ADMIN'], tenantId };
    const guards = Object.fromEntries(['tenant', 'tenantOrCustomer', 'apiKey', 'staff', 'platformAdmin', 'none'].map((s) => [s, []])) as unknown as Mount['guards'];
    guards.staff = [(req, _res, next) => ((req.actor = actor), (req.credentialId = actor.id), next())];
    const router = express.Router();
    const mount: Mount = { router, registry: createRegistry(), guards, idempotency: {} as never, checks: () => [] };
    mountAdminTenantRoutes(mount, createTenantService(h.db), createTenantSettingsService(h.db, { reminderAfterSeconds: 1, resendCooldownSeconds: 1 }));
    mountAdminOAuthClientRoutes(mount, createOAuthClientService(h.db));
    mountAdminApiKeyRoutes(mount, createApiKeyService(h.db));
    const app = express().use(express.json()).use(router).use(errorHandler(createLogger('silent', 'test')));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { call: (method: string, path: string, body?: unknown) => http(url, method, path, { body }), close: () => new Promise((resolve) => server.close(resolve)) };
  }

  it("manages its own tenant's credentials and settings, and finds no other tenant (404)", async () => {
    const own = await createTenant(h, 'Own Bank');
    const other = await createTenant(h, 'Not Mine Bank');
    const tenantAdmin = await asTenantAdminOf(own.tenantId);
    try {
      expect((await tenantAdmin.call('GET', `/api/v2.1/admin/tenants/${own.tenantId}`)).status).toBe(200);
      expect((await tenantAdmin.call('GET', `/api/v2.1/admin/tenants/${own.tenantId}/oauth-clients`)).status).toBe(200);
      expect((await tenantAdmin.call('POST', `/api/v2.1/admin/tenants/${own.tenantId}/api-keys`, { label: 'mine' })).status).toBe(201);
      expect((await tenantAdmin.call('GET', `/api/v2.1/admin/tenants/${own.tenantId}/settings`)).status).toBe(200);

      const base = `/api/v2.1/admin/tenants/${other.tenantId}`;
      const attempts: Array<[string, string, unknown?]> = [
        ['GET', base],
        ['GET', `${base}/settings`],
        ['PUT', `${base}/settings`, { relianceEnabled: true }],
        ['GET', `${base}/oauth-clients`],
        ['POST', `${base}/oauth-clients`, { label: 'intruder' }],
        ['POST', `${base}/oauth-clients/${other.clientId}/rotate-secret`],
        ['DELETE', `${base}/oauth-clients/${other.clientId}`],
        ['GET', `${base}/api-keys`],
        ['POST', `${base}/api-keys`, { label: 'intruder' }],
      ];
      for (const [method, path, body] of attempts) {
        const res = await tenantAdmin.call(method, path, body);
        expect({ call: `${method} ${path}`, status: res.status, error: res.body.error }).toEqual({ call: `${method} ${path}`, status: 404, error: 'NOT_FOUND' });
      }
      expect(await h.db('oauth_clients').where({ tenant_id: other.tenantId })).toEqual([expect.objectContaining({ client_id: other.clientId, revoked_at: null, secret_version: 1 })]);
      expect(await h.db('api_keys').where({ tenant_id: other.tenantId })).toHaveLength(0);
      expect((await h.db('tenants').where({ id: other.tenantId }).first()).settings).toEqual({});
    } finally {
      await tenantAdmin.close();
    }
  });
});

describe('the tables', () => {
  it('refuse custom settings on a fixed tier, whatever writes them', async () => {
    await expect(h.db('tenants').where({ id: tenant.tenantId }).update({ custom_rate_limit_per_minute: 5 })).rejects.toMatchObject({
      code: '23514',
      constraint: 'tenants_custom_access_only_for_custom_check',
    });
  });

  // Last in this file: it takes the columns away and back.
  it('roll their migrations back and forward', async () => {
    const { migrationSource } = await import('../../migrations');
    for (const name of ['20261127007300_api_key_rotated_at', '20261127007200_tenant_custom_access_only_for_custom', '20261127007100_oauth_client_secret_version']) {
      await h.db.migrate.down({ migrationSource, name });
    }
    expect(await h.db.schema.hasColumn('oauth_clients', 'secret_version')).toBe(false);
    expect(await h.db.schema.hasColumn('api_keys', 'rotated_at')).toBe(false);
    await h.db.migrate.latest({ migrationSource });
    expect(await h.db('oauth_clients').where({ client_id: tenant.clientId }).first()).toMatchObject({ secret_version: 1, secret_rotated_at: null });
    expect(await h.db.schema.hasColumn('api_keys', 'rotated_at')).toBe(true);
  });
});
