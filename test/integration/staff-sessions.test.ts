/**
 * Staff sessions and the staff guard: a session token is the only way onto a staff route (a tenant's token or the
 * platform token is a 401), roles decide which routes (403 otherwise), and logout, revocation, a disabled account,
 * a role change or the idle and absolute limits take effect on the very next request.
 */
import { startHarness, type Harness } from '../support/harness';
import { newStaffSession, platformAdmin, type StaffSession } from '../support/staff';
import { createTenant, http, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('staff_sessions', { withWorker: false });
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

const settingsOf = (tenantId: string) => `/api/v2.1/admin/tenants/${tenantId}/settings`;
const me = (session: Pick<StaffSession, 'token'>) => http(h.api.url, 'GET', '/api/v2.1/staff/me', { headers: { authorization: `Bearer ${session.token}` } });
/** A second session of the same account, with a recovery code (the TOTP step of the first is spent). */
async function secondSession(staff: StaffSession) {
  const res = await http(h.api.url, 'POST', '/api/v2.1/staff/auth/login', { body: { email: staff.email, password: staff.password, recoveryCode: staff.recoveryCodes.pop() } });
  expect(res.status).toBe(200);
  return res.body as { token: string; sessionId: string };
}

describe('the staff guard', () => {
  it('answers 401 to a tenant token, the platform token, a made-up session and no token', async () => {
    for (const headers of [tenant.headers, { authorization: `Bearer ${h.secrets.platformAdminToken}` }, { authorization: 'Bearer sst_made_up' }, {}]) {
      const res = await http(h.api.url, 'GET', settingsOf(tenant.tenantId), { headers });
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 401, error: 'UNAUTHORIZED' });
    }
  });

  it("refuses a staff member without one of the route's roles with 403, before anything is written", async () => {
    const officer = await newStaffSession(h, ['COMPLIANCE_OFFICER']);
    const res = await officer.call('POST', '/api/v2.1/admin/tenants', { name: 'Not Allowed Bank', tier: 'STARTER' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'FORBIDDEN', message: 'Insufficient permissions' });
    expect(await h.db('tenants').where({ name: 'Not Allowed Bank' })).toHaveLength(0);
    expect((await officer.call('GET', '/api/v2.1/admin/staff')).status).toBe(403);
    const operator = await newStaffSession(h, ['OPERATOR']);
    expect((await operator.call('GET', settingsOf(tenant.tenantId))).status).toBe(200);
  });

  it("keeps a TENANT_ADMIN to their own tenant, and requires the tenant for that role only", async () => {
    const admin = await platformAdmin(h);
    const other = await createTenant(h, 'Other Bank');
    const tenantAdmin = await newStaffSession(h, ['TENANT_ADMIN'], { tenantId: tenant.tenantId });
    expect((await tenantAdmin.call('GET', settingsOf(tenant.tenantId))).status).toBe(200);
    expect((await tenantAdmin.call('GET', settingsOf(other.tenantId))).status).toBe(404);
    for (const [body, field] of [
      [{ email: 'ta1@platform.example', roles: ['TENANT_ADMIN'] }, 'tenantId'],
      [{ email: 'ta2@platform.example', roles: ['OPERATOR'], tenantId: tenant.tenantId }, 'tenantId'],
      [{ email: 'ta3@platform.example', roles: ['TENANT_ADMIN', 'OPERATOR'], tenantId: tenant.tenantId }, 'roles'],
      [{ email: 'ta4@platform.example', roles: ['TENANT_ADMIN'], tenantId: 'tnt_000000000000000000000000' }, 'tenantId'],
      [{ email: 'ta5@platform.example', roles: ['JANITOR'] }, 'roles.0'],
    ] as const) {
      const res = await admin.call('POST', '/api/v2.1/admin/staff', body);
      expect({ status: res.status, field: res.body.details?.[0]?.field }).toEqual({ status: 400, field });
    }
    expect(await h.db('staff_accounts').where('email', 'like', 'ta_@platform.example')).toHaveLength(0);
  });

  it('applies a role change to live sessions on their next request, and refuses changing one’s own roles', async () => {
    const admin = await platformAdmin(h);
    const staff = await newStaffSession(h, ['OPERATOR']);
    expect((await staff.call('GET', settingsOf(tenant.tenantId))).status).toBe(200);
    const changed = await admin.call('PUT', `/api/v2.1/admin/staff/${staff.staffId}/roles`, { roles: ['AUDITOR'] });
    expect(changed.body).toMatchObject({ staffId: staff.staffId, roles: ['AUDITOR'] });
    expect((await staff.call('GET', settingsOf(tenant.tenantId))).status).toBe(403);
    expect((await admin.call('PUT', `/api/v2.1/admin/staff/${admin.staffId}/roles`, { roles: ['AUDITOR'] })).status).toBe(409);
  });
});

describe('sessions', () => {
  it('lists one’s own sessions, ends one at once, and logout ends the current one at once', async () => {
    const staff = await newStaffSession(h, ['AUDITOR']);
    const second = await secondSession(staff);
    const listed = await staff.call('GET', '/api/v2.1/staff/sessions');
    expect(listed.body.sessions.map((s: { sessionId: string; current: boolean }) => [s.sessionId, s.current])).toEqual([
      [staff.sessionId, true],
      [second.sessionId, false],
    ]);
    const stranger = await newStaffSession(h, ['AUDITOR']);
    expect((await stranger.call('DELETE', `/api/v2.1/staff/sessions/${second.sessionId}`)).status).toBe(404);
    expect((await me(second)).status).toBe(200);

    expect((await staff.call('DELETE', `/api/v2.1/staff/sessions/${second.sessionId}`)).status).toBe(204);
    expect((await me(second)).status).toBe(401);
    expect((await staff.call('POST', '/api/v2.1/staff/auth/logout')).status).toBe(204);
    expect((await me(staff)).status).toBe(401);
  });

  it("lets the platform admin end anyone's sessions, and disabling an account ends them and its logins", async () => {
    const admin = await platformAdmin(h);
    const staff = await newStaffSession(h, ['OPERATOR']);
    const second = await secondSession(staff);
    const revoked = await admin.call('DELETE', `/api/v2.1/admin/staff/${staff.staffId}/sessions`);
    expect(revoked.body).toEqual({ revoked: 2 });
    expect((await me(staff)).status).toBe(401);
    expect((await me(second)).status).toBe(401);

    const third = await secondSession(staff);
    const disabled = await admin.call('POST', `/api/v2.1/admin/staff/${staff.staffId}/disable`);
    expect(disabled.body).toMatchObject({ staffId: staff.staffId, status: 'DISABLED' });
    expect((await me(third)).status).toBe(401);
    const login = await http(h.api.url, 'POST', '/api/v2.1/staff/auth/login', { body: { email: staff.email, password: staff.password, recoveryCode: staff.recoveryCodes.pop() } });
    expect(login.status).toBe(401);
    expect((await admin.call('POST', `/api/v2.1/admin/staff/${admin.staffId}/disable`)).status).toBe(409);
  });

  it('ends a session after the idle timeout and at its absolute expiry', async () => {
    const idle = await newStaffSession(h, ['AUDITOR']);
    await h.db('staff_sessions').where({ id: idle.sessionId }).update({ last_seen_at: h.db.raw(`now() - interval '16 minutes'`) });
    expect((await me(idle)).status).toBe(401);
    const old = await newStaffSession(h, ['AUDITOR']);
    expect((await me(old)).status).toBe(200);
    await h.db('staff_sessions').where({ id: old.sessionId }).update({ expires_at: h.db.raw(`now() - interval '1 second'`) });
    expect((await me(old)).status).toBe(401);
  });

  it('lists every account for the platform admin, without secrets', async () => {
    const admin = await platformAdmin(h);
    const res = await admin.call('GET', '/api/v2.1/admin/staff');
    expect(res.status).toBe(200);
    expect(res.body.staff[0]).toMatchObject({ staffId: admin.staffId, roles: ['PLATFORM_ADMIN'], status: 'ACTIVE' });
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|setup|totp/i);
  });
});
