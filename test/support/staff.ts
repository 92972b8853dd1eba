/**
 * Staff sessions for tests, obtained the way a person gets one: the platform token bootstraps the first
 * PLATFORM_ADMIN (once per harness), who creates the account; the test enrols it (password, TOTP secret from the
 * otpauth URI, first code) and logs in with password + TOTP. Sessions are cached per harness and role set.
 */
import { randomBytes } from 'node:crypto';
import type { StaffRole } from '../../common/access';
import { currentTotp } from '../../api/auth/totp';
import type { Harness } from './harness';
import { http, type HttpResult } from './tenant-client';

export interface StaffSession {
  staffId: string;
  email: string;
  password: string;
  totpSecret: string;
  recoveryCodes: string[];
  token: string;
  sessionId: string;
  headers: Record<string, string>;
  call<T = any>(method: string, path: string, body?: unknown): Promise<HttpResult<T>>;
}

export interface EnrolledStaff {
  staffId: string;
  email: string;
  password: string;
  totpSecret: string;
  recoveryCodes: string[];
}

const PASSWORD = () => `staff-${randomBytes(12).toString('hex')}`;
const admins = new WeakMap<Harness, Promise<StaffSession>>();
const cached = new WeakMap<Harness, Map<string, Promise<StaffSession>>>();

/** The secret an otpauth:// URI carries (what an authenticator app reads from the QR code). */
export function secretOf(otpauthUri: string): string {
  const secret = new URL(otpauthUri).searchParams.get('secret');
  if (!secret) throw new Error('no secret in the otpauth URI');
  return secret;
}

/** Sets a password and confirms TOTP with a setup token; the account may then log in. */
export async function enrol(h: Harness, staffId: string, email: string, setupToken: string): Promise<EnrolledStaff> {
  const password = PASSWORD();
  const started = await http(h.api.url, 'POST', '/api/v2.1/staff/auth/enrolment', { body: { setupToken, password } });
  if (started.status !== 200) throw new Error(`enrolment: ${started.status} ${JSON.stringify(started.body)}`);
  const totpSecret = secretOf(started.body.otpauthUri);
  const confirmed = await http(h.api.url, 'POST', '/api/v2.1/staff/auth/enrolment/confirmation', { body: { setupToken, totp: currentTotp(totpSecret) } });
  if (confirmed.status !== 200) throw new Error(`enrolment confirmation: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  return { staffId, email, password, totpSecret, recoveryCodes: confirmed.body.recoveryCodes };
}

/**
 * Logs in with the code of the next time step: the step just used to confirm enrolment is spent (codes are not
 * accepted twice), and the next one is within the accepted window.
 */
export async function logIn(h: Harness, staff: EnrolledStaff): Promise<StaffSession> {
  const res = await http(h.api.url, 'POST', '/api/v2.1/staff/auth/login', {
    body: { email: staff.email, password: staff.password, totp: currentTotp(staff.totpSecret, Date.now() + 30_000) },
  });
  if (res.status !== 200) throw new Error(`staff login: ${res.status} ${JSON.stringify(res.body)}`);
  const headers = { authorization: `Bearer ${res.body.token}` };
  return { ...staff, token: res.body.token, sessionId: res.body.sessionId, headers, call: (method, path, body) => http(h.api.url, method, path, { body, headers }) };
}

/** The first PLATFORM_ADMIN of this harness, bootstrapped with the platform token on first use. */
export function platformAdmin(h: Harness): Promise<StaffSession> {
  let admin = admins.get(h);
  if (!admin) {
    admin = (async () => {
      const email = `admin.${randomBytes(5).toString('hex')}@platform.example`;
      const created = await http(h.api.url, 'POST', '/api/v2.1/staff/auth/bootstrap', {
        body: { email },
        headers: { authorization: `Bearer ${h.secrets.platformAdminToken}` },
      });
      if (created.status !== 201) throw new Error(`staff bootstrap: ${created.status} ${JSON.stringify(created.body)}`);
      return logIn(h, await enrol(h, created.body.staffId, email, created.body.setupToken));
    })();
    admin.catch(() => admins.delete(h));
    admins.set(h, admin);
  }
  return admin;
}

/** A new staff account with these roles (a TENANT_ADMIN names its tenant), enrolled and logged in. */
export async function newStaffSession(h: Harness, roles: StaffRole[], options: { tenantId?: string } = {}): Promise<StaffSession> {
  const admin = await platformAdmin(h);
  const email = `staff.${randomBytes(5).toString('hex')}@platform.example`;
  const created = await admin.call('POST', '/api/v2.1/admin/staff', { email, roles, ...options });
  if (created.status !== 201) throw new Error(`staff account: ${created.status} ${JSON.stringify(created.body)}`);
  return logIn(h, await enrol(h, created.body.staffId, email, created.body.setupToken));
}

/** A staff session with these roles, shared by the tests of one harness (the bootstrapped admin for PLATFORM_ADMIN). */
export function staffSession(h: Harness, roles: StaffRole[], options: { tenantId?: string } = {}): Promise<StaffSession> {
  if (roles.length === 1 && roles[0] === 'PLATFORM_ADMIN') return platformAdmin(h);
  const key = `${[...roles].sort().join(',')}|${options.tenantId ?? ''}`;
  const sessions = cached.get(h) ?? new Map<string, Promise<StaffSession>>();
  cached.set(h, sessions);
  let session = sessions.get(key);
  if (!session) {
    session = newStaffSession(h, roles, options);
    session.catch(() => sessions.delete(key));
    sessions.set(key, session);
  }
  return session;
}

/** The Authorization header of a shared staff session with these roles. */
export async function staffHeaders(h: Harness, ...roles: StaffRole[]): Promise<Record<string, string>> {
  return (await staffSession(h, roles)).headers;
}

/** How the shared session with these roles is recorded as a credential (`staff:<staffId>`). */
export async function staffCredential(h: Harness, ...roles: StaffRole[]): Promise<string> {
  return `staff:${(await staffSession(h, roles)).staffId}`;
}
