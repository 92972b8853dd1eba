import { startHarness, type Harness } from '../support/harness';
import { authCall, login, PASSWORD, registeredAndSignedIn, v2Request, withToken } from '../support/customer-session';
import { codeIn, register } from '../support/journey';
import { waitForEmails } from '../support/inbox';
import { createTenant, uniqueEmail, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;
let otherTenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('customer_sessions');
  tenant = await createTenant(h);
  otherTenant = await createTenant(h, 'Other Bank');
});
afterAll(() => h?.close());

const UNAUTHORIZED = { error: 'UNAUTHORIZED', message: 'Invalid e-mail or password' };

describe('customer login, own data, logout', () => {
  it('signs in, reads and advances only its own onboarding, logs out, and the same token is refused at once', async () => {
    const { customerId, email, path, session } = await registeredAndSignedIn(h, tenant);
    expect(session.customerId).toBe(customerId);

    const own = await session.call('GET', path);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ customerId, email });
    expect((await session.call('GET', `${path}/onboarding`)).status).toBe(200);
    expect((await session.call('GET', `${path}/consents`)).body).toEqual({ data: [] });
    expect((await session.call('GET', `${path}/documents`)).status).toBe(200);

    // The customer takes their own step: the e-mail code, with their own session.
    const [mail] = await waitForEmails(h.infra.inboxUrl, email);
    const verified = await session.call('POST', `${path}/verify-email`, { code: codeIn(mail!.text) });
    expect(verified.status).toBe(200);
    expect(verified.body.status).not.toBe('PENDING_EMAIL_VERIFICATION');

    const out = await session.call('POST', `${path}/auth/logout`);
    expect(out.status).toBe(204);
    const after = await session.call('GET', path);
    expect(after.status).toBe(401);
    expect(after.body.error).toBe('UNAUTHORIZED');
    const row = await h.db('customer_sessions').where({ tenant_id: tenant.tenantId, customer_id: customerId }).first();
    expect(row).toMatchObject({ revoked_reason: 'LOGOUT' });
    expect((await authCall(h, tenant.tenantId, '/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
  });

  it("answers 404 for another customer's objects and 401 on tenant-only routes; activation stays the tenant's", async () => {
    const a = await register(tenant);
    const { path, session } = await registeredAndSignedIn(h, tenant);
    for (const route of ['', '/onboarding', '/consents', '/documents']) {
      const res = await session.call('GET', `${a.path}${route}`);
      expect([route, res.status, res.body.error]).toEqual([route, 404, 'NOT_FOUND']);
    }
    expect((await session.call('POST', `${path}/activation`)).status).toBe(401);
    expect((await session.call('GET', '/v2/customer/status/PENDING_KYC')).status).toBe(401);
    expect((await session.call('POST', '/api/v2.1/customer/individual/registration', {})).status).toBe(401);
    expect((await session.call('PUT', `/v2/profile/${session.customerId}`, {})).status).toBe(401);
    // Under another tenant's name the token is refused as a tenant token would be.
    expect((await withToken(h, otherTenant.tenantId, session.accessToken)('GET', path)).status).toBe(403);
  });

  it('refuses logout and 2FA enrolment to a tenant token: they act on a customer session', async () => {
    const { path } = await registeredAndSignedIn(h, tenant);
    expect((await tenant.call('POST', `${path}/auth/logout`)).status).toBe(403);
    expect((await tenant.call('POST', `${path}/two-factor/totp`)).status).toBe(403);
    expect((await tenant.call('GET', path)).status).toBe(200);
  });
});

describe('a blocked or closed customer', () => {
  it('is signed out on the next request and cannot sign in, with the same answer as a wrong password', async () => {
    const { customerId, email, path, session } = await registeredAndSignedIn(h, tenant);
    // As the tenant's staff would after activation (PUT /v2/persons/{id}/BLOCKED).
    await h.db('customers').where({ tenant_id: tenant.tenantId, id: customerId }).update({ status: 'BLOCKED', blocked_by: 'TENANT' });
    expect((await session.call('GET', path)).status).toBe(401);
    expect((await authCall(h, tenant.tenantId, '/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
    const refused = await authCall(h, tenant.tenantId, '/login', { email, password: PASSWORD });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual(UNAUTHORIZED);
  });
});

describe('refresh', () => {
  it('rotates the refresh token; the reuse of a spent one revokes the whole session', async () => {
    const { path, session } = await registeredAndSignedIn(h, tenant);
    const first = await authCall(h, tenant.tenantId, '/refresh', { refreshToken: session.refreshToken });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(session.refreshToken);
    expect(first.body.sessionId).toBe(JSON.parse(Buffer.from(session.accessToken.split('.')[1]!, 'base64url').toString()).sid);
    const rotated = withToken(h, tenant.tenantId, first.body.accessToken);
    expect((await rotated('GET', path)).status).toBe(200);

    const reused = await authCall(h, tenant.tenantId, '/refresh', { refreshToken: session.refreshToken });
    expect(reused.status).toBe(401);
    expect(reused.body.message).toMatch(/already used/);
    // The thief's and the customer's tokens are gone alike.
    expect((await rotated('GET', path)).status).toBe(401);
    expect((await authCall(h, tenant.tenantId, '/refresh', { refreshToken: first.body.refreshToken })).status).toBe(401);
    expect(await h.db('customer_sessions').where({ id: first.body.sessionId }).first()).toMatchObject({ revoked_reason: 'REFRESH_TOKEN_REUSED' });
  });

  it("refuses a refresh token under another tenant's name", async () => {
    const { session } = await registeredAndSignedIn(h, tenant);
    expect((await authCall(h, otherTenant.tenantId, '/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
    expect((await authCall(h, tenant.tenantId, '/refresh', { refreshToken: session.refreshToken })).status).toBe(200);
  });
});

describe('answers that do not tell whether an e-mail exists', () => {
  it('gives a wrong password, an unknown e-mail, an unknown tenant and a customer without a password the same 401', async () => {
    const known = await register(tenant, { password: PASSWORD });
    const v2 = await tenant.call('POST', '/v2/customers/individual', v2Request());
    expect(v2.status).toBe(201);
    const v2Email = (await h.db('customers').where({ id: v2.body.data.customer_id }).first('email')).email;
    const answers = [
      await authCall(h, tenant.tenantId, '/login', { email: known.email, password: 'WrongPassword123!' }),
      await authCall(h, tenant.tenantId, '/login', { email: uniqueEmail('nobody'), password: 'WrongPassword123!' }),
      await authCall(h, otherTenant.tenantId, '/login', { email: known.email, password: PASSWORD }),
      await authCall(h, 'tnt_000000000000000000000000', '/login', { email: known.email, password: PASSWORD }),
      await authCall(h, tenant.tenantId, '/login', { email: v2Email, password: PASSWORD }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual(UNAUTHORIZED);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('needs X-Tenant-ID naming a tenant id', async () => {
    const res = await authCall(h, 'not-a-tenant', '/login', { email: uniqueEmail(), password: PASSWORD });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'X-Tenant-ID', message: 'Required header naming the tenant' }]);
  });
});

describe('lockout', () => {
  it('locks an address after five failures, even for the right password, with the same answer for unknown addresses', async () => {
    const known = await register(tenant, { password: PASSWORD });
    const unknown = uniqueEmail('ghost');
    for (const email of [known.email, unknown]) {
      for (let i = 0; i < 5; i++) {
        // Failures with other addresses in between never reset this address's count.
        await authCall(h, tenant.tenantId, '/login', { email: uniqueEmail('other'), password: 'WrongPassword123!' });
        expect((await authCall(h, tenant.tenantId, '/login', { email, password: 'WrongPassword123!' })).status).toBe(401);
      }
    }
    const locked = await authCall(h, tenant.tenantId, '/login', { email: known.email, password: PASSWORD });
    const lockedUnknown = await authCall(h, tenant.tenantId, '/login', { email: unknown, password: PASSWORD });
    for (const res of [locked, lockedUnknown]) {
      expect(res.status).toBe(429);
      expect(res.body).toEqual({ error: 'ACCOUNT_LOCKED', message: 'Too many failed logins; try again later' });
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // The letter case of the address does not make another counter.
    expect((await authCall(h, tenant.tenantId, '/login', { email: known.email.toUpperCase(), password: PASSWORD })).status).toBe(429);
  });

  it('backs off: each failure after the lock is lifted locks for twice as long; the right password resets the count', async () => {
    const own = await createTenant(h, 'Back-off Bank');
    const known = await register(own, { password: PASSWORD });
    const fail = () => authCall(h, own.tenantId, '/login', { email: known.email, password: 'WrongPassword123!' });
    for (let i = 0; i < 5; i++) await fail();
    const lockedFor = async () => {
      const row = await h.db('customer_login_failures').where({ tenant_id: own.tenantId }).first();
      return { failures: row.failures, ms: new Date(row.locked_until).getTime() - new Date(row.updated_at).getTime() };
    };
    const first = await lockedFor();
    expect(first.failures).toBe(5);
    // As if the lock had run out: the next failure locks again, for twice as long.
    await h.db('customer_login_failures').where({ tenant_id: own.tenantId }).update({ locked_until: new Date(Date.now() - 1000) });
    expect((await fail()).status).toBe(401);
    const second = await lockedFor();
    expect(second.failures).toBe(6);
    expect(second.ms / first.ms).toBeGreaterThan(1.8);
    await h.db('customer_login_failures').where({ tenant_id: own.tenantId }).update({ locked_until: new Date(Date.now() - 1000) });
    await login(h, own.tenantId, known.email);
    expect(await h.db('customer_login_failures').where({ tenant_id: own.tenantId })).toEqual([]);
  });
});
