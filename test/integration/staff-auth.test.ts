/**
 * Staff accounts and login: the platform token bootstraps one PLATFORM_ADMIN and nothing more; enrolment sets a
 * password and a TOTP secret confirmed by a first code; login needs the password and a second factor, refuses
 * without saying what was wrong, and locks with back-off after repeated failures.
 */
import { currentTotp } from '../../api/auth/totp';
import { createLoginThrottle } from '../../api/staff/throttle';
import { startApiServer } from '../../api/server';
import { createLogger } from '../../common/logger';
import { startHarness, type Harness } from '../support/harness';
import { enrol, newStaffSession, platformAdmin, secretOf } from '../support/staff';
import { http } from '../support/tenant-client';

let h: Harness;

beforeAll(async () => {
  // Every test here logs in from 127.0.0.1: the address threshold is raised so only the e-mail lockouts are seen.
  h = await startHarness('staff_auth', { withWorker: false, env: { STAFF_LOCKOUT_IP_THRESHOLD: '1000' } });
});
afterAll(() => h?.close());

const LOGIN = '/api/v2.1/staff/auth/login';
const login = (body: Record<string, unknown>) => http(h.api.url, 'POST', LOGIN, { body });
const bootstrap = (token: string, email = 'second.admin@platform.example') =>
  http(h.api.url, 'POST', '/api/v2.1/staff/auth/bootstrap', { body: { email }, headers: { authorization: `Bearer ${token}` } });
const refused = { error: 'UNAUTHORIZED', message: 'Invalid e-mail, password or second factor' };

async function newAccount(roles = ['OPERATOR']) {
  const admin = await platformAdmin(h);
  const email = `Person.${Math.random().toString(16).slice(2, 10)}@Platform.example`;
  const created = await admin.call('POST', '/api/v2.1/admin/staff', { email, roles });
  expect(created.status).toBe(201);
  return created.body as { staffId: string; email: string; setupToken: string };
}

describe('bootstrap', () => {
  it('creates the first PLATFORM_ADMIN with the platform token once, then refuses it', async () => {
    const admin = await platformAdmin(h);
    expect((await admin.call('GET', '/api/v2.1/staff/me')).body).toMatchObject({ roles: ['PLATFORM_ADMIN'], status: 'ACTIVE' });
    const again = await bootstrap(h.secrets.platformAdminToken);
    expect(again.status).toBe(403);
    expect(again.body.error).toBe('FORBIDDEN');
    expect((await bootstrap('pat_wrong_token_of_enough_length')).status).toBe(401);
    expect(await h.db('staff_accounts').where({ email: 'second.admin@platform.example' })).toHaveLength(0);
  });

  it('opens nothing with the platform token once PLATFORM_ADMIN_TOKEN_ENABLED=false', async () => {
    const api = await startApiServer({ ...h.config, PLATFORM_ADMIN_TOKEN_ENABLED: 'false' }, h.secrets, { db: h.db, temporal: h.temporal, logger: createLogger('silent', 'test') }, 0);
    try {
      const res = await http(api.url, 'POST', '/api/v2.1/staff/auth/bootstrap', {
        body: { email: 'x@platform.example' },
        headers: { authorization: `Bearer ${h.secrets.platformAdminToken}` },
      });
      expect(res.status).toBe(401);
    } finally {
      await api.close();
    }
  });
});

describe('enrolment', () => {
  it('lowercases the e-mail, seals the TOTP secret, and needs a matching first code before any login', async () => {
    const account = await newAccount();
    expect(account.email).toBe(account.email.toLowerCase());
    const password = 'correct horse battery staple';
    expect((await login({ email: account.email, password, totp: '123456' })).body).toEqual(refused);

    const started = await http(h.api.url, 'POST', '/api/v2.1/staff/auth/enrolment', { body: { setupToken: account.setupToken, password } });
    expect(started.status).toBe(200);
    expect(started.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/.+secret=/);
    expect(started.body.qrCode).toMatch(/^data:image\/png;base64,/);
    const secret = secretOf(started.body.otpauthUri);
    const row = await h.db('staff_accounts').where({ id: account.staffId }).first();
    expect(row.totp_secret_sealed).not.toContain(secret);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    // Password set but TOTP not confirmed: still no session.
    expect((await login({ email: account.email, password, totp: currentTotp(secret) })).status).toBe(401);

    const confirm = (totp: string) =>
      http(h.api.url, 'POST', '/api/v2.1/staff/auth/enrolment/confirmation', { body: { setupToken: account.setupToken, totp } });
    const wrong = await confirm(currentTotp(secret, Date.now() + 10 * 60_000));
    expect(wrong.status).toBe(400);
    expect(wrong.body.details).toEqual([{ field: 'totp', message: expect.any(String) }]);
    const confirmed = await confirm(currentTotp(secret));
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect(await h.db('staff_recovery_codes').where({ account_id: account.staffId }).whereIn('digest', confirmed.body.recoveryCodes)).toHaveLength(0);
    expect((await confirm(currentTotp(secret, Date.now() + 30_000))).status).toBe(401);

    const session = await login({ email: account.email, password, totp: currentTotp(secret, Date.now() + 30_000) });
    expect(session.status).toBe(200);
    expect(session.body).toEqual({ token: expect.stringMatching(/^sst_/), sessionId: expect.stringMatching(/^sss_/), staffId: account.staffId, expiresAt: expect.any(String), idleTimeoutSeconds: 900 });
    expect(await h.db('staff_sessions').where({ token_digest: session.body.token })).toHaveLength(0);
  });
});

describe('login', () => {
  it('needs the password and a second factor, and answers every refusal alike', async () => {
    const account = await newAccount();
    const staff = await enrol(h, account.staffId, account.email, account.setupToken);
    const next = currentTotp(staff.totpSecret, Date.now() + 30_000);

    const missingFactor = await login({ email: staff.email, password: staff.password });
    expect(missingFactor.status).toBe(400);
    const bothFactors = await login({ email: staff.email, password: staff.password, totp: next, recoveryCode: staff.recoveryCodes[0] });
    expect(bothFactors.status).toBe(400);
    for (const attempt of [
      { email: staff.email, password: 'not the password', totp: next },
      { email: staff.email, password: staff.password, totp: '000000' === next ? '111111' : '000000' },
      { email: staff.email, password: staff.password, recoveryCode: 'aaaaa-bbbbb-ccccc-ddddd' },
      { email: 'nobody.here@platform.example', password: staff.password, totp: next },
    ]) {
      const res = await login(attempt);
      expect({ status: res.status, body: res.body }).toEqual({ status: 401, body: refused });
    }
    expect(await h.db('staff_sessions').where({ account_id: staff.staffId })).toHaveLength(0);

    const ok = await login({ email: staff.email.toUpperCase(), password: staff.password, totp: next });
    expect(ok.status).toBe(200);
    // The same code again is a replay.
    expect((await login({ email: staff.email, password: staff.password, totp: next })).body).toEqual(refused);
  });

  it('takes each recovery code once', async () => {
    const account = await newAccount();
    const staff = await enrol(h, account.staffId, account.email, account.setupToken);
    const withCode = () => login({ email: staff.email, password: staff.password, recoveryCode: staff.recoveryCodes[3] });
    expect((await withCode()).status).toBe(200);
    expect((await withCode()).body).toEqual(refused);
    expect(await h.db('staff_recovery_codes').where({ account_id: staff.staffId }).whereNotNull('used_at')).toHaveLength(1);
  });

  it('locks an e-mail after five failures, known or not, with a lock that doubles', async () => {
    const account = await newAccount();
    const staff = await enrol(h, account.staffId, account.email, account.setupToken);
    for (const email of [staff.email, 'ghost.account@platform.example']) {
      for (let i = 0; i < 5; i++) expect((await login({ email, password: 'wrong password', totp: '123456' })).status).toBe(401);
      const locked = await login({ email, password: staff.password, totp: currentTotp(staff.totpSecret, Date.now() + 30_000) });
      expect(locked.status).toBe(429);
      expect(locked.body).toEqual({ error: 'RATE_LIMIT_EXCEEDED', message: 'Too many failed attempts, please try again later', retryAfter: expect.any(Number) });
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(50);
      expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    }
    // The first lock runs out; the next failure locks for twice as long.
    await h.db('staff_login_throttles').where('key', 'like', 'email:%').update({ locked_until: h.db.raw(`now() - interval '1 second'`) });
    expect((await login({ email: staff.email, password: 'wrong password', totp: '123456' })).status).toBe(401);
    const doubled = await login({ email: staff.email, password: staff.password, recoveryCode: staff.recoveryCodes[0] });
    expect(doubled.status).toBe(429);
    expect(Number(doubled.headers.get('retry-after'))).toBeGreaterThan(110);
    expect(await h.db('staff_sessions').where({ account_id: staff.staffId })).toHaveLength(0);
  });

  it('locks a client address past its own threshold, and a success clears only the e-mail count', async () => {
    const throttle = createLoginThrottle(h.db, { threshold: 5, ipThreshold: 3, lockSeconds: 60, maxLockSeconds: 3600 });
    const ip = '203.0.113.7';
    for (const email of ['a@x.example', 'b@x.example', 'c@x.example']) await throttle.recordFailure({ email, ip });
    await expect(throttle.assertOpen({ email: 'd@x.example', ip })).rejects.toMatchObject({ status: 429 });
    await expect(throttle.assertOpen({ email: 'd@x.example', ip: '203.0.113.8' })).resolves.toBeUndefined();
    await throttle.recordSuccess({ email: 'a@x.example', ip });
    await expect(throttle.assertOpen({ email: 'a@x.example', ip })).rejects.toMatchObject({ status: 429 });
  });

  it('lets a fresh account log in through the test helper (bootstrap, create, enrol, login)', async () => {
    const session = await newStaffSession(h, ['AUDITOR']);
    expect((await session.call('GET', '/api/v2.1/staff/me')).body).toMatchObject({ staffId: session.staffId, roles: ['AUDITOR'] });
  });
});
