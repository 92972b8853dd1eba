/**
 * STAFF_AUTH=oidc: an identity provider in front of the staff routes. Its signed access tokens are the staff
 * credential; the roles claim (here a nested one) maps onto the staff roles, and a TENANT_ADMIN's tenant comes
 * from its own claim. The local account, enrolment and login routes are not there.
 */
import { SignJWT, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';
import { startHarness, type Harness } from '../support/harness';
import { IDP_KID, startIdp, type LocalIdp } from '../support/oidc-provider';
import { http } from '../support/tenant-client';

const AUDIENCE = 'onboarding-staff';
let idp: LocalIdp;
let h: Harness;

beforeAll(async () => {
  idp = await startIdp();
  h = await startHarness('staff_oidc', {
    withWorker: false,
    env: { STAFF_AUTH: 'oidc', STAFF_OIDC_ISSUER: idp.issuer, STAFF_OIDC_AUDIENCE: AUDIENCE, STAFF_OIDC_ROLES_CLAIM: 'realm_access.roles' },
  });
});
afterAll(async () => {
  await h?.close();
  await idp?.close();
});

function token(roles: string[], claims: JWTPayload = {}, options: { key?: CryptoKey; audience?: string } = {}) {
  return new SignJWT({ realm_access: { roles }, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: IDP_KID })
    .setSubject('jane')
    .setIssuer(idp.issuer)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(options.key ?? idp.key);
}
const as = async (bearer: string | Promise<string>, method: string, path: string, body?: unknown) =>
  http(h.api.url, method, path, { body, headers: { authorization: `Bearer ${await bearer}` } });
const settingsOf = (tenantId: string) => `/api/v2.1/admin/tenants/${tenantId}/settings`;

async function newTenant(name: string): Promise<{ tenantId: string; clientId: string; clientSecret: string }> {
  const created = await as(token(['PLATFORM_ADMIN', 'offline_access']), 'POST', '/api/v2.1/admin/tenants', { name, tier: 'STARTER' });
  expect(created.status).toBe(201);
  return created.body;
}

it("lets a provider's PLATFORM_ADMIN create a tenant, and refuses a role the route does not list with 403", async () => {
  const tenant = await newTenant('Oidc Bank');
  expect(await h.db('tenants').where({ id: tenant.tenantId })).toHaveLength(1);
  const auditor = await as(token(['AUDITOR']), 'POST', '/api/v2.1/admin/tenants', { name: 'Auditor Bank', tier: 'STARTER' });
  expect(auditor.status).toBe(403);
  expect(auditor.body).toEqual({ error: 'FORBIDDEN', message: 'Insufficient permissions' });
  expect((await as(token(['OPERATOR']), 'GET', settingsOf(tenant.tenantId))).status).toBe(200);
});

it('keeps a TENANT_ADMIN to the tenant its claim names', async () => {
  const [own, other] = [await newTenant('Own Bank'), await newTenant('Other Bank')];
  const tenantAdmin = () => token(['TENANT_ADMIN'], { tenant_id: own.tenantId });
  expect((await as(tenantAdmin(), 'GET', settingsOf(own.tenantId))).status).toBe(200);
  expect((await as(tenantAdmin(), 'GET', settingsOf(other.tenantId))).status).toBe(404);
  // Without a tenant, or beside another role, TENANT_ADMIN is no staff credential at all.
  expect((await as(token(['TENANT_ADMIN']), 'GET', settingsOf(own.tenantId))).status).toBe(401);
  expect((await as(token(['TENANT_ADMIN', 'OPERATOR'], { tenant_id: own.tenantId }), 'GET', settingsOf(own.tenantId))).status).toBe(401);
});

it('answers 401 to tokens without a staff role, of another audience or key, to tenant tokens and the platform token', async () => {
  const tenant = await newTenant('Refusing Bank');
  const issued = await http(h.api.url, 'POST', '/api/v2.1/oauth/token', { body: { grant_type: 'client_credentials', client_id: tenant.clientId, client_secret: tenant.clientSecret } });
  for (const bearer of [
    token(['offline_access']),
    token(['PLATFORM_ADMIN'], {}, { audience: 'another-api' }),
    token(['PLATFORM_ADMIN'], {}, { key: (await generateKeyPair('RS256')).privateKey }),
    issued.body.access_token as string,
    h.secrets.platformAdminToken,
  ]) {
    const res = await as(bearer, 'GET', settingsOf(tenant.tenantId));
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 401, error: 'UNAUTHORIZED' });
  }
});

it('does not mount the local bootstrap, enrolment, login or account routes', async () => {
  for (const path of ['/api/v2.1/staff/auth/bootstrap', '/api/v2.1/staff/auth/login', '/api/v2.1/staff/auth/enrolment']) {
    expect((await http(h.api.url, 'POST', path, { body: {}, headers: { authorization: `Bearer ${h.secrets.platformAdminToken}` } })).status).toBe(404);
  }
  expect((await as(token(['PLATFORM_ADMIN']), 'GET', '/api/v2.1/admin/staff')).status).toBe(404);
});
