import { SignJWT } from 'jose';
import { staffHeaders } from '../support/staff';
import { startHarness, type Harness } from '../support/harness';
import { createTenant, http, registration, type TenantSession } from '../support/tenant-client';

const REGISTER = '/api/v2.1/customer/individual/registration';

let h: Harness;
let tenant: TenantSession;

// The edge is under test here: no worker runs, so nothing below it can mask an auth failure.
beforeAll(async () => {
  h = await startHarness('auth', { withWorker: false });
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

const admin = () => staffHeaders(h, 'PLATFORM_ADMIN');

describe('POST /api/v2.1/admin/tenants', () => {
  it('creates a tenant whose secret is shown once and stored only as a hash', async () => {
    const res = await http(h.api.url, 'POST', '/api/v2.1/admin/tenants', { body: { name: 'Acme Bank', tier: 'STARTER' }, headers: await admin() });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      tenantId: expect.stringMatching(/^tnt_/),
      name: 'Acme Bank',
      tier: 'STARTER',
      clientId: expect.stringMatching(/^cli_/),
      clientSecret: expect.stringMatching(/^cs_.{40,}/),
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
    const client = await h.db('oauth_clients').where({ client_id: res.body.clientId }).first();
    expect(client.tenant_id).toBe(res.body.tenantId);
    expect(client.secret_hash).not.toContain(res.body.clientSecret);
  });

  it('refuses a missing or wrong staff session, and the platform token, with 401', async () => {
    const body = { name: 'Acme', tier: 'STARTER' };
    const session = (await admin()).authorization.replace('Bearer ', '');
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong-token' },
      { authorization: `Basic ${session}` },
      { authorization: `Bearer ${h.secrets.platformAdminToken}` },
    ];
    for (const headers of attempts) {
      const res = await http(h.api.url, 'POST', '/api/v2.1/admin/tenants', { body, headers });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('UNAUTHORIZED');
    }
    expect(await h.db('tenants').where({ name: 'Acme' })).toHaveLength(0);
  });

  it('validates the tenant body', async () => {
    const res = await http(h.api.url, 'POST', '/api/v2.1/admin/tenants', { body: { name: '', tier: 'GOLD' }, headers: await admin() });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('VALIDATION_ERROR');
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['name', 'tier']);
  });
});

describe('POST /api/v2.1/oauth/token', () => {
  it('issues a bearer token for JSON, form-encoded and HTTP Basic client credentials', async () => {
    const json = await http(h.api.url, 'POST', '/api/v2.1/oauth/token', {
      body: { grant_type: 'client_credentials', client_id: tenant.clientId, client_secret: tenant.clientSecret },
    });
    const form = await fetch(`${h.api.url}/api/v2.1/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: tenant.clientId, client_secret: tenant.clientSecret }),
    });
    const basic = await fetch(`${h.api.url}/api/v2.1/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${tenant.clientId}:${tenant.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    for (const [status, body] of [[json.status, json.body], [form.status, await form.json()], [basic.status, await basic.json()]]) {
      expect(status).toBe(200);
      expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
    }
    expect(json.headers.get('cache-control')).toBe('no-store');
  });

  it('answers bad credentials with 401 invalid_client in the OAuth error shape', async () => {
    for (const body of [
      { grant_type: 'client_credentials', client_id: tenant.clientId, client_secret: 'cs_wrong' },
      { grant_type: 'client_credentials', client_id: 'cli_unknown', client_secret: tenant.clientSecret },
    ]) {
      const res = await http(h.api.url, 'POST', '/api/v2.1/oauth/token', { body });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    }
  });

  it('answers a malformed request with 400 in the OAuth error shape', async () => {
    const missing = await http(h.api.url, 'POST', '/api/v2.1/oauth/token', { body: { grant_type: 'client_credentials' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('invalid_request');
    const grant = await http(h.api.url, 'POST', '/api/v2.1/oauth/token', { body: { grant_type: 'password', client_id: 'x', client_secret: 'y' } });
    expect(grant.status).toBe(400);
    expect(grant.body.error).toBe('unsupported_grant_type');
  });
});

describe('Customer API authentication', () => {
  const register = (headers: Record<string, string>) => http(h.api.url, 'POST', REGISTER, { body: registration(), headers });

  it('answers 401 without a token, with a forged token and with an expired token', async () => {
    const forged = await new SignJWT({ tid: tenant.tenantId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(tenant.clientId)
      .setIssuer(h.config.JWT_ISSUER)
      .setAudience('customer-api')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('some-other-secret-of-at-least-32-chars!!'));
    const expired = await new SignJWT({ tid: tenant.tenantId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(tenant.clientId)
      .setIssuer(h.config.JWT_ISSUER)
      .setAudience('customer-api')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(h.secrets.jwtSecret));
    for (const authorization of [undefined, 'Bearer not-a-jwt', `Bearer ${forged}`, `Bearer ${expired}`]) {
      const res = await register({ 'x-tenant-id': tenant.tenantId, ...(authorization ? { authorization } : {}) });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'UNAUTHORIZED', message: expect.any(String) });
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it("answers 403 when X-Tenant-ID is not the token's tenant, and 400 when it is missing", async () => {
    const other = await createTenant(h, 'Other Bank');
    const wrong = await register({ authorization: `Bearer ${tenant.token}`, 'x-tenant-id': other.tenantId });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toBe('FORBIDDEN');
    const missing = await register({ authorization: `Bearer ${tenant.token}` });
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual([{ field: 'X-Tenant-ID', message: 'Required header' }]);
    expect(await h.db('customers')).toHaveLength(0);
  });
});
