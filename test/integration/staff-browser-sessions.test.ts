/**
 * Staff sessions in a browser: login with `"session": "cookie"` sets the session as an HttpOnly, Secure,
 * SameSite=Strict `__Host-` cookie and answers its CSRF token instead of the session token. The cookie alone opens
 * safe requests; an unsafe one also needs X-CSRF-Token and no foreign Origin, else 403 CSRF_REJECTED with nothing
 * changed. Bearer tokens work as before, with no CSRF token. With STAFF_AUTH=oidc a cookie login is a clear 400.
 */
import { createHash, randomBytes } from 'node:crypto';
import { currentTotp } from '../../api/auth/totp';
import { startHarness, type Harness } from '../support/harness';
import { IDP_KID, startIdp, type LocalIdp } from '../support/oidc-provider';
import { enrol, platformAdmin, type EnrolledStaff } from '../support/staff';
import { http } from '../support/tenant-client';
import { SignJWT } from 'jose';

const LOGIN = '/api/v2.1/staff/auth/login';
const SESSION = '/api/v2.1/staff/auth/session';
const LOGOUT = '/api/v2.1/staff/auth/logout';
const ME = '/api/v2.1/staff/me';
const STAFF = '/api/v2.1/admin/staff';
const COOKIE = '__Host-staff_session';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('staff_browser_sessions', { withWorker: false });
});
afterAll(() => h?.close());

interface CookieSession {
  /** What the browser sends back: `__Host-staff_session=sst_…`. */
  cookie: string;
  token: string;
  csrfToken: string;
  sessionId: string;
  expiresAt: string;
}

/** A new enrolled account with these roles (no session yet). */
async function account(roles: string[]): Promise<EnrolledStaff> {
  const email = `browser.${randomBytes(5).toString('hex')}@platform.example`;
  const created = await (await platformAdmin(h)).call('POST', STAFF, { email, roles });
  expect(created.status).toBe(201);
  return enrol(h, created.body.staffId, email, created.body.setupToken);
}

const cookieLogin = (staff: EnrolledStaff, secondFactor: { totp: string } | { recoveryCode: string }, headers: Record<string, string> = {}) =>
  http(h.api.url, 'POST', LOGIN, { body: { email: staff.email, password: staff.password, ...secondFactor, session: 'cookie' }, headers });

/** Logs in with a recovery code (each TOTP step is accepted once) and keeps what a browser would. */
async function cookieSession(staff: EnrolledStaff): Promise<CookieSession> {
  const res = await cookieLogin(staff, { recoveryCode: staff.recoveryCodes.pop()! });
  expect(res.status).toBe(200);
  const [setCookie] = res.headers.getSetCookie();
  const cookie = setCookie!.split(';')[0]!;
  return { cookie, token: cookie.slice(COOKIE.length + 1), csrfToken: res.body.csrfToken, sessionId: res.body.sessionId, expiresAt: res.body.expiresAt };
}

const withCookie = (session: CookieSession, method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) =>
  http(h.api.url, method, path, { body: options.body, headers: { cookie: `theme=dark; ${session.cookie}`, ...options.headers } });
const newStaffBody = () => ({ email: `made.${randomBytes(5).toString('hex')}@platform.example`, roles: ['AUDITOR'] });
const accountsNamed = (email: string) => h.db('staff_accounts').where({ email });
const sessionRow = (sessionId: string) => h.db('staff_sessions').where({ id: sessionId }).first();

describe('cookie login', () => {
  it('sets the session cookie with every attribute and answers the CSRF token, never the session token', async () => {
    const staff = await account(['PLATFORM_ADMIN']);
    // The TOTP step after the one enrolment spent, as a person would type it.
    const res = await cookieLogin(staff, { totp: currentTotp(staff.totpSecret, Date.now() + 30_000) }, { 'x-request-id': 'req-browser-cookie-login' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');

    const cookies = res.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    const [pair, ...attributes] = cookies[0]!.split('; ');
    const token = pair!.slice(`${COOKIE}=`.length);
    expect(pair!.startsWith(`${COOKIE}=sst_`)).toBe(true);
    const maxAge = attributes.find((a) => a.startsWith('Max-Age='));
    expect(attributes.filter((a) => a !== maxAge).sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Strict', 'Secure']);
    // Until the session's absolute end (8 hours by default), not a second longer.
    const secondsLeft = (Date.parse(res.body.expiresAt) - Date.now()) / 1000;
    expect(Math.abs(Number(maxAge!.slice('Max-Age='.length)) - secondsLeft)).toBeLessThan(5);
    expect(secondsLeft).toBeGreaterThan(8 * 3600 - 60);

    expect(Object.keys(res.body).sort()).toEqual(['csrfToken', 'expiresAt', 'idleTimeoutSeconds', 'sessionId', 'staffId']);
    expect(res.body).toMatchObject({ staffId: staff.staffId, idleTimeoutSeconds: 15 * 60, csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(JSON.stringify(res.body)).not.toContain(token);

    // Stored as the bearer session is: a digest of the token, and the CSRF token nowhere.
    const row = await sessionRow(res.body.sessionId);
    expect(row.token_digest).toBe(createHash('sha256').update(token).digest('base64url'));
    expect(JSON.stringify(row)).not.toContain(res.body.csrfToken);
    // Audited as a sign-in of this member, without the session token.
    const [audit] = await h.db('audit_events').where({ request_id: 'req-browser-cookie-login' });
    expect(audit).toMatchObject({ actor_type: 'staff', actor_id: staff.staffId, action: `POST ${LOGIN}`, status: 200 });
    expect(audit.changes.fields).toContain('session');
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('leaves a token login as it was: the token in the body, no cookie', async () => {
    const staff = await account(['AUDITOR']);
    for (const session of [undefined, 'token']) {
      const res = await http(h.api.url, 'POST', LOGIN, { body: { email: staff.email, password: staff.password, recoveryCode: staff.recoveryCodes.pop(), session } });
      expect(res.status).toBe(200);
      expect(res.body.token).toMatch(/^sst_/);
      expect(res.body.csrfToken).toBeUndefined();
      expect(res.headers.getSetCookie()).toEqual([]);
    }
  });

  it('goes through the same lockout: a refused cookie login sets no cookie, and the fifth failure locks the e-mail', async () => {
    const staff = await account(['AUDITOR']);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const res = await cookieLogin({ ...staff, password: 'not-the-password-at-all' }, { recoveryCode: staff.recoveryCodes[0]! });
      expect({ attempt, status: res.status, cookies: res.headers.getSetCookie() }).toEqual({ attempt, status: 401, cookies: [] });
    }
    const locked = await cookieLogin(staff, { recoveryCode: staff.recoveryCodes[0]! });
    expect({ status: locked.status, error: locked.body.error, cookies: locked.headers.getSetCookie() }).toEqual({ status: 429, error: 'RATE_LIMIT_EXCEEDED', cookies: [] });
  });

  it('refuses a cookie login from another origin before checking anything, and opens no session', async () => {
    const staff = await account(['AUDITOR']);
    const res = await cookieLogin(staff, { recoveryCode: staff.recoveryCodes[0]! }, { origin: 'https://evil.example' });
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 403, error: 'CSRF_REJECTED' });
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await h.db('staff_sessions').where({ account_id: staff.staffId })).toHaveLength(0);
    // The same code still works from the API's own origin: the refused attempt did not spend it.
    expect((await cookieLogin(staff, { recoveryCode: staff.recoveryCodes[0]! }, { origin: h.api.url })).status).toBe(200);
  });
});

describe('the cookie as the staff credential', () => {
  it('authenticates a GET with the cookie alone', async () => {
    const staff = await account(['AUDITOR']);
    const session = await cookieSession(staff);
    const me = await withCookie(session, 'GET', ME);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ staffId: staff.staffId, email: staff.email, roles: ['AUDITOR'] });
    expect((await http(h.api.url, 'GET', ME, { headers: { cookie: `${COOKIE}=sst_made_up` } })).status).toBe(401);
  });

  it('refuses an unsafe call without the CSRF token, or with a wrong one, with 403 and changes nothing', async () => {
    const session = await cookieSession(await account(['PLATFORM_ADMIN']));
    const other = await cookieSession(await account(['PLATFORM_ADMIN']));
    const before = await sessionRow(session.sessionId);
    for (const headers of [{}, { 'x-csrf-token': 'not-the-token' }, { 'x-csrf-token': other.csrfToken }, { 'x-csrf-token': session.token }] as Array<Record<string, string>>) {
      const body = newStaffBody();
      const res = await withCookie(session, 'POST', STAFF, { body, headers });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: 'CSRF_REJECTED', message: expect.any(String) });
      expect(await accountsNamed(body.email)).toHaveLength(0);
      // A forged logout ends nothing.
      expect((await withCookie(session, 'POST', LOGOUT, { headers })).status).toBe(403);
    }
    // Not even the idle clock moved, so forged requests cannot keep a session alive.
    const after = await sessionRow(session.sessionId);
    expect({ lastSeenAt: after.last_seen_at, revokedAt: after.revoked_at }).toEqual({ lastSeenAt: before.last_seen_at, revokedAt: null });
    expect((await withCookie(session, 'GET', ME)).status).toBe(200);
  });

  it("accepts an unsafe call with the session's CSRF token, and records it with the session's staff member", async () => {
    const staff = await account(['PLATFORM_ADMIN']);
    const session = await cookieSession(staff);
    const body = newStaffBody();
    const res = await withCookie(session, 'POST', STAFF, { body, headers: { 'x-csrf-token': session.csrfToken, 'x-request-id': 'req-browser-csrf-ok' } });
    expect(res.status).toBe(201);
    expect(await accountsNamed(body.email)).toHaveLength(1);
    const [audit] = await h.db('audit_events').where({ request_id: 'req-browser-csrf-ok' });
    expect(audit).toMatchObject({ actor_type: 'staff', actor_id: staff.staffId, action: `POST ${STAFF}`, status: 201 });
  });

  it('refuses a foreign Origin even with the right CSRF token, and accepts its own', async () => {
    const session = await cookieSession(await account(['PLATFORM_ADMIN']));
    const csrf = { 'x-csrf-token': session.csrfToken };
    for (const origin of ['https://evil.example', 'null', h.api.url.replace('http:', 'https:')]) {
      const body = newStaffBody();
      const res = await withCookie(session, 'POST', STAFF, { body, headers: { ...csrf, origin } });
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 403, error: 'CSRF_REJECTED' });
      expect(await accountsNamed(body.email)).toHaveLength(0);
    }
    expect((await withCookie(session, 'GET', ME, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
    const body = newStaffBody();
    expect((await withCookie(session, 'POST', STAFF, { body, headers: { ...csrf, origin: h.api.url } })).status).toBe(201);
    expect(await accountsNamed(body.email)).toHaveLength(1);
  });

  it('needs no CSRF token with a bearer token, which wins over a cookie of someone else', async () => {
    const admin = await platformAdmin(h);
    const body = newStaffBody();
    const res = await http(h.api.url, 'POST', STAFF, { body, headers: { ...admin.headers, origin: 'https://elsewhere.example' } });
    expect(res.status).toBe(201);
    expect(await accountsNamed(body.email)).toHaveLength(1);
    const someoneElse = await cookieSession(await account(['AUDITOR']));
    const me = await http(h.api.url, 'GET', ME, { headers: { ...admin.headers, cookie: someoneElse.cookie } });
    expect(me.body.staffId).toBe(admin.staffId);
  });
});

describe('the current session', () => {
  it('recovers the CSRF token of a cookie session, and answers null for a bearer token', async () => {
    const staff = await account(['COMPLIANCE_OFFICER']);
    const session = await cookieSession(staff);
    const res = await withCookie(session, 'GET', SESSION);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      staff: { staffId: staff.staffId, email: staff.email, roles: ['COMPLIANCE_OFFICER'], status: 'ACTIVE', createdAt: expect.any(String) },
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt,
    });
    expect(JSON.stringify(res.body)).not.toContain(session.token);

    const admin = await platformAdmin(h);
    const bearer = await admin.call('GET', SESSION);
    expect(bearer.status).toBe(200);
    expect(bearer.body).toMatchObject({ staff: { staffId: admin.staffId }, csrfToken: null, expiresAt: expect.any(String) });
    expect((await http(h.api.url, 'GET', SESSION)).status).toBe(401);
  });

  it('ends at logout: the cookie is cleared and the session is dead', async () => {
    const session = await cookieSession(await account(['OPERATOR']));
    const res = await withCookie(session, 'POST', LOGOUT, { headers: { 'x-csrf-token': session.csrfToken } });
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie()).toEqual([`${COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`]);
    expect((await sessionRow(session.sessionId)).revoked_at).not.toBeNull();
    // A browser that kept the cookie anyway gets nothing with it.
    expect((await withCookie(session, 'GET', SESSION)).status).toBe(401);
    expect((await withCookie(session, 'GET', ME)).status).toBe(401);
  });
});

describe('with STAFF_AUTH=oidc', () => {
  let idp: LocalIdp;
  let oidc: Harness;
  beforeAll(async () => {
    idp = await startIdp();
    oidc = await startHarness('staff_browser_oidc', {
      withWorker: false,
      env: { STAFF_AUTH: 'oidc', STAFF_OIDC_ISSUER: idp.issuer, STAFF_OIDC_AUDIENCE: 'onboarding-staff', STAFF_OIDC_ROLES_CLAIM: 'roles' },
    });
  });
  afterAll(async () => {
    await oidc?.close();
    await idp?.close();
  });

  it('answers a cookie login with a clear 400, leaves other logins absent, and keeps provider tokens working', async () => {
    const body = { email: 'someone@platform.example', password: 'a-password-long-enough', totp: '123456' };
    const cookie = await http(oidc.api.url, 'POST', LOGIN, { body: { ...body, session: 'cookie' } });
    expect(cookie.status).toBe(400);
    expect(cookie.body).toMatchObject({ error: 'VALIDATION_ERROR', message: expect.stringContaining('STAFF_AUTH=local'), details: [{ field: 'session' }] });
    expect(cookie.headers.getSetCookie()).toEqual([]);
    expect((await http(oidc.api.url, 'POST', LOGIN, { body })).status).toBe(404);
    expect((await http(oidc.api.url, 'GET', SESSION)).status).toBe(404);

    const token = await new SignJWT({ roles: ['PLATFORM_ADMIN'] })
      .setProtectedHeader({ alg: 'RS256', kid: IDP_KID })
      .setSubject('jane')
      .setIssuer(idp.issuer)
      .setAudience('onboarding-staff')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(idp.key);
    const tenant = await http(oidc.api.url, 'POST', '/api/v2.1/admin/tenants', { body: { name: 'Provider Bank', tier: 'STARTER' }, headers: { authorization: `Bearer ${token}` } });
    expect(tenant.status).toBe(201);
  });
});
