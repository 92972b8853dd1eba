/**
 * A staff session for the development scripts (benchmarks, the fault lab), obtained over HTTP as a person would:
 * the first time, the platform token bootstraps a PLATFORM_ADMIN, who creates a "dev staff" account holding every
 * cross-tenant role; both are enrolled here, and the dev account's password and TOTP secret are kept in
 * DATA_DIR/dev-staff.json (mode 0600) for later runs. For development stacks only: a real deployment enrols people.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { currentTotp } from '../api/auth/totp';

interface DevStaff {
  email: string;
  password: string;
  totpSecret: string;
}

const STEP_MS = 30_000;

async function post(apiUrl: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, any> };
}

async function enrol(apiUrl: string, setupToken: string): Promise<{ password: string; totpSecret: string }> {
  const password = `dev-${randomBytes(12).toString('hex')}`;
  const started = await post(apiUrl, '/api/v2.1/staff/auth/enrolment', { setupToken, password });
  if (started.status !== 200) throw new Error(`staff enrolment: ${started.status} ${JSON.stringify(started.body)}`);
  const totpSecret = new URL(started.body.otpauthUri).searchParams.get('secret')!;
  const confirmed = await post(apiUrl, '/api/v2.1/staff/auth/enrolment/confirmation', { setupToken, totp: currentTotp(totpSecret) });
  if (confirmed.status !== 200) throw new Error(`staff enrolment confirmation: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  return { password, totpSecret };
}

/** Logs in with the next step's code, and once more a step later if that one was spent by an earlier run. */
async function logIn(apiUrl: string, staff: DevStaff): Promise<string> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const res = await post(apiUrl, '/api/v2.1/staff/auth/login', { email: staff.email, password: staff.password, totp: currentTotp(staff.totpSecret, Date.now() + STEP_MS) });
    if (res.status === 200) return res.body.token as string;
    if (attempt === 0 && res.status === 401) await new Promise((resolve) => setTimeout(resolve, STEP_MS));
    else throw new Error(`staff login: ${res.status} ${JSON.stringify(res.body)}`);
  }
  throw new Error('staff login failed');
}

async function createDevStaff(apiUrl: string, platformToken: string): Promise<DevStaff> {
  const adminEmail = `admin.${randomBytes(4).toString('hex')}@dev.local`;
  const boot = await post(apiUrl, '/api/v2.1/staff/auth/bootstrap', { email: adminEmail }, { authorization: `Bearer ${platformToken}` });
  if (boot.status !== 201) {
    throw new Error(`staff bootstrap: ${boot.status} ${JSON.stringify(boot.body)} (staff accounts exist already: put a PLATFORM_ADMIN + COMPLIANCE_OFFICER account's email, password and totpSecret in dev-staff.json)`);
  }
  const admin = { email: adminEmail, ...(await enrol(apiUrl, boot.body.setupToken)) };
  const adminToken = await logIn(apiUrl, admin);
  const email = `dev.staff.${randomBytes(4).toString('hex')}@dev.local`;
  const roles = ['PLATFORM_ADMIN', 'COMPLIANCE_OFFICER', 'OPERATOR', 'AUDITOR'];
  const created = await post(apiUrl, '/api/v2.1/admin/staff', { email, roles }, { authorization: `Bearer ${adminToken}` });
  if (created.status !== 201) throw new Error(`dev staff account: ${created.status} ${JSON.stringify(created.body)}`);
  return { email, ...(await enrol(apiUrl, created.body.setupToken)) };
}

const sessions = new Map<string, Record<string, string>>();

/**
 * Authorization headers of a dev staff session (every cross-tenant role), creating the account on first use. A
 * session is reused while it is live: each login spends a TOTP step, and the next one is 30 s away.
 */
export async function devStaffHeaders(apiUrl: string, dataDir: string, platformToken: string): Promise<Record<string, string>> {
  const key = `${apiUrl} ${dataDir}`;
  const cached = sessions.get(key);
  if (cached && (await fetch(`${apiUrl}/api/v2.1/staff/me`, { headers: cached })).status === 200) return cached;
  const headers = await newSession(apiUrl, dataDir, platformToken);
  sessions.set(key, headers);
  return headers;
}

async function newSession(apiUrl: string, dataDir: string, platformToken: string): Promise<Record<string, string>> {
  const file = join(dataDir, 'dev-staff.json');
  let staff: DevStaff;
  try {
    staff = JSON.parse(readFileSync(file, 'utf8')) as DevStaff;
  } catch {
    staff = await createDevStaff(apiUrl, platformToken);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(staff, null, 2), { mode: 0o600 });
  }
  return { authorization: `Bearer ${await logIn(apiUrl, staff)}` };
}
