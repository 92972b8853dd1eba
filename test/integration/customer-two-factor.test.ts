import { currentTotp } from '../../api/auth/totp';
import { startHarness, type Harness } from '../support/harness';
import { authCall, PASSWORD, registeredAndSignedIn, sessionOf, withToken } from '../support/customer-session';
import { createTenant, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('customer_2fa');
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

const THIRTY_SECONDS = 30_000;

/** Enrols and confirms TOTP for a signed-in customer; returns the secret and the recovery codes. */
async function turnOn(path: string, call: (method: string, path: string, body?: unknown) => Promise<any>) {
  const enrolment = await call('POST', `${path}/two-factor/totp`);
  expect(enrolment.status).toBe(201);
  const secret = new URL(enrolment.body.otpauthUri).searchParams.get('secret')!;
  const confirmed = await call('POST', `${path}/two-factor/totp/confirm`, { code: currentTotp(secret) });
  expect(confirmed.status).toBe(200);
  return { enrolment: enrolment.body, secret, recoveryCodes: confirmed.body.recoveryCodes as string[] };
}

describe('customer TOTP 2FA', () => {
  it('enrols with an otpauth URI and QR code, seals the secret, and confirms with a first code', async () => {
    const { customerId, email, path, session } = await registeredAndSignedIn(h, tenant);
    const { enrolment, secret, recoveryCodes } = await turnOn(path, session.call);
    expect(enrolment.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(decodeURIComponent(enrolment.otpauthUri)).toContain(email);
    expect(enrolment.qrCode).toMatch(/^data:image\/png;base64,/);
    expect(recoveryCodes).toHaveLength(10);
    const row = await h.db('customer_totp').where({ tenant_id: tenant.tenantId, customer_id: customerId }).first();
    expect(row.enabled_at).not.toBeNull();
    expect(row.secret_encrypted).not.toContain(secret);
    expect(row.recovery_code_digests.join()).not.toContain(recoveryCodes[0]);
    expect((await session.call('POST', `${path}/two-factor/totp`)).status).toBe(409);
  });

  it('answers a login with a challenge; a TOTP code completes it, and the same code cannot be used twice', async () => {
    const { email, path, session } = await registeredAndSignedIn(h, tenant);
    const { secret } = await turnOn(path, session.call);
    const challenged = await authCall(h, tenant.tenantId, '/login', { email, password: PASSWORD });
    expect(challenged.status).toBe(202);
    expect(challenged.body).toEqual({ twoFactorRequired: true, challengeToken: expect.stringMatching(/^cch_/), expiresIn: 300 });
    expect(challenged.body.accessToken).toBeUndefined();

    // The next time step's code: later than the step the confirmation used, and inside the accepted window whenever
    // the clock turns (each step is accepted once, so the current one may be spent already).
    const code = currentTotp(secret, Date.now() + THIRTY_SECONDS);
    const wrong = await authCall(h, tenant.tenantId, '/login/2fa', { challengeToken: challenged.body.challengeToken, code: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(401);
    const done = await authCall(h, tenant.tenantId, '/login/2fa', { challengeToken: challenged.body.challengeToken, code });
    expect(done.status).toBe(200);
    const signedIn = sessionOf(h, tenant.tenantId, done.body);
    expect((await signedIn.call('GET', path)).status).toBe(200);
    // The challenge is spent, and the code's time step with it.
    expect((await authCall(h, tenant.tenantId, '/login/2fa', { challengeToken: challenged.body.challengeToken, code })).status).toBe(401);
    const again = await authCall(h, tenant.tenantId, '/login', { email, password: PASSWORD });
    expect((await authCall(h, tenant.tenantId, '/login/2fa', { challengeToken: again.body.challengeToken, code })).status).toBe(401);
  });

  it('keeps a challenged login as a pending session that holds only the challenge digest and opens nothing', async () => {
    const { customerId, email, path, session } = await registeredAndSignedIn(h, tenant);
    await turnOn(path, session.call);
    const challenged = await authCall(h, tenant.tenantId, '/login', { email, password: PASSWORD });
    const pending = await h.db('customer_sessions').where({ tenant_id: tenant.tenantId, customer_id: customerId, status: 'CHALLENGED' });
    expect(pending).toHaveLength(1);
    expect(pending[0].challenge_hash).not.toContain(challenged.body.challengeToken.slice(4));
    // The challenge token is no bearer token, and a refresh token it is not either.
    expect((await withToken(h, tenant.tenantId, challenged.body.challengeToken)('GET', path)).status).toBe(401);
  });

  it('takes each recovery code once', async () => {
    const { email, path, session } = await registeredAndSignedIn(h, tenant);
    const { recoveryCodes } = await turnOn(path, session.call);
    const first = await authCall(h, tenant.tenantId, '/login', { email, password: PASSWORD });
    const used = await authCall(h, tenant.tenantId, '/login/2fa', { challengeToken: first.body.challengeToken, code: recoveryCodes[0] });
    expect(used.status).toBe(200);
    const second = await authCall(h, tenant.tenantId, '/login', { email, password: PASSWORD });
    const reused = await authCall(h, tenant.tenantId, '/login/2fa', { challengeToken: second.body.challengeToken, code: recoveryCodes[0] });
    expect(reused.status).toBe(401);
    const other = await authCall(h, tenant.tenantId, '/login/2fa', { challengeToken: second.body.challengeToken, code: recoveryCodes[1] });
    expect(other.status).toBe(200);
  });

  it('spends a challenge after five wrong codes', async () => {
    const { email, path, session } = await registeredAndSignedIn(h, tenant);
    const { recoveryCodes } = await turnOn(path, session.call);
    const challenged = await authCall(h, tenant.tenantId, '/login', { email, password: PASSWORD });
    for (let i = 0; i < 5; i++) {
      expect((await authCall(h, tenant.tenantId, '/login/2fa', { challengeToken: challenged.body.challengeToken, code: 'aaaaa-bbbbb-ccccc-ddddd' })).status).toBe(401);
    }
    expect((await authCall(h, tenant.tenantId, '/login/2fa', { challengeToken: challenged.body.challengeToken, code: recoveryCodes[0] })).status).toBe(401);
  });

  it('counts wrong second-factor codes against the address: fresh challenges do not buy more guesses', async () => {
    const { email, path, session } = await registeredAndSignedIn(h, tenant);
    await turnOn(path, session.call);
    for (let i = 0; i < 5; i++) {
      const challenged = await authCall(h, tenant.tenantId, '/login', { email, password: PASSWORD });
      expect(challenged.status).toBe(202);
      expect((await authCall(h, tenant.tenantId, '/login/2fa', { challengeToken: challenged.body.challengeToken, code: 'aaaaa-bbbbb-ccccc-ddddd' })).status).toBe(401);
    }
    const locked = await authCall(h, tenant.tenantId, '/login', { email, password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.body.error).toBe('ACCOUNT_LOCKED');
  });

  it('turns off with a code (not without one); login then gives tokens again', async () => {
    const { customerId, email, path, session } = await registeredAndSignedIn(h, tenant);
    const { recoveryCodes } = await turnOn(path, session.call);
    const refused = await session.call('POST', `${path}/two-factor/totp/disable`, { code: '12345678' });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([{ field: 'code', message: 'The code is not correct' }]);
    expect((await session.call('POST', `${path}/two-factor/totp/disable`, { code: recoveryCodes[3] })).status).toBe(204);
    expect(await h.db('customer_totp').where({ tenant_id: tenant.tenantId, customer_id: customerId })).toEqual([]);
    expect((await authCall(h, tenant.tenantId, '/login', { email, password: PASSWORD })).status).toBe(200);
  });
});
