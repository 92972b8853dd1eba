/**
 * A tenant's integration as it should be written: it reads where each onboarding stands and takes the next step,
 * retrying what failed for a transient reason (503, a timeout, a refused connection). Fault experiments run many
 * of these at once and count every answer the API gave.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { devStaffHeaders } from '../dev-staff';

export const CONSENTS = ['TERMS_AND_CONDITIONS', 'PRIVACY_POLICY', 'DATA_PROCESSING'] as const;
const PROFILE = {
  basic_info: { dob: '1990-04-15', primary_nationality: 'USA', country_of_residence: 'USA' },
  address: { street_line_1: '123 Market Street', city: 'San Francisco', postal_code: '94103', subdivision_code: 'US-CA', country: 'USA' },
};
/** Where an experiment's onboarding stops: the product decided, or handed it to staff. */
export const SETTLED = new Set(['ACTIVE', 'REJECTED', 'MANUAL_REVIEW', 'EXPIRED']);

export interface Answer {
  status: number;
  body: any;
  ms: number;
}

/** Every answer the API gave, by status; 0 = no answer within the client's timeout or no connection. */
export class AnswerLog {
  readonly byStatus = new Map<number, number>();
  slowest = 0;
  add(answer: Answer) {
    this.byStatus.set(answer.status, (this.byStatus.get(answer.status) ?? 0) + 1);
    this.slowest = Math.max(this.slowest, answer.ms);
  }
  count(predicate: (status: number) => boolean): number {
    return [...this.byStatus].filter(([status]) => predicate(status)).reduce((sum, [, n]) => sum + n, 0);
  }
  summary(): Record<string, number> {
    return Object.fromEntries([...this.byStatus].sort(([a], [b]) => a - b).map(([status, n]) => [status === 0 ? 'no answer' : String(status), n]));
  }
}

export interface TenantApi {
  tenantId: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  /** Where answers are counted; an experiment swaps it to count one phase apart. */
  log: AnswerLog;
}

/** `dataDir` keeps the dev staff account the tenant is created with (see scripts/dev-staff.ts). */
export async function createTenantApi(apiUrl: string, dataDir: string, adminToken: string, settings: Record<string, unknown>, timeoutMs = 15_000): Promise<TenantApi> {
  const log = new AnswerLog();
  const raw = async (method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer> => {
    const started = Date.now();
    try {
      const res = await fetch(`${apiUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, ms: Date.now() - started };
    } catch {
      return { status: 0, body: undefined, ms: Date.now() - started };
    }
  };
  const admin = await devStaffHeaders(apiUrl, dataDir, adminToken);
  const created = await raw('POST', '/api/v2.1/admin/tenants', admin, { name: `Faults ${randomBytes(3).toString('hex')}`, tier: 'PROFESSIONAL' });
  if (created.status !== 201) throw new Error(`tenant: ${created.status} ${JSON.stringify(created.body)}`);
  const { tenantId, clientId, clientSecret } = created.body as { tenantId: string; clientId: string; clientSecret: string };
  const configured = await raw('PUT', `/api/v2.1/admin/tenants/${tenantId}/settings`, admin, settings);
  if (configured.status !== 200) throw new Error(`settings: ${configured.status} ${JSON.stringify(configured.body)}`);
  let token = '';
  let tokenExpiresAt = 0;
  const headers = async () => {
    if (Date.now() > tokenExpiresAt) {
      const res = await raw('POST', '/api/v2.1/oauth/token', {}, { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
      if (res.status !== 200) return undefined;
      token = res.body.access_token as string;
      tokenExpiresAt = Date.now() + ((res.body.expires_in as number) - 60) * 1000;
    }
    return { authorization: `Bearer ${token}`, 'x-tenant-id': tenantId };
  };
  const api: TenantApi = {
    tenantId,
    log,
    async call(method, path, body, extra = {}) {
      const h = await headers();
      const answer = h ? await raw(method, path, { ...h, ...extra }, body) : { status: 0, body: undefined, ms: 0 };
      api.log.add(answer);
      return answer;
    },
  };
  return api;
}

export interface Customer {
  customerId: string;
  email: string;
  lastName: string;
}

/** Registers until the API says 201, retrying transient failures. */
export async function register(api: TenantApi, lastName: string, deadline: number): Promise<Customer | undefined> {
  const email = `faults.${randomBytes(6).toString('hex')}@example.com`;
  // One Idempotency-Key for every retry of this registration, so a lost answer never registers the customer twice.
  const idempotency = { 'idempotency-key': `register-${email}` };
  while (Date.now() < deadline) {
    const res = await api.call('POST', '/api/v2.1/customer/individual/registration', {
      firstName: 'Fault', lastName, email, password: 'SecurePassword123!', captcha: 'faults', termsAccepted: true, marketingConsent: false,
    }, idempotency);
    if (res.status === 201) return { customerId: res.body.customerId as string, email, lastName };
    if (res.status === 400) return undefined; // e-mail taken: an earlier attempt registered it; the experiment counts rows
    await sleep(500);
  }
  return undefined;
}

/** Takes one customer from wherever it stands to a settled status (or gives up at the deadline). */
export async function drive(api: TenantApi, inboxUrl: string, customer: Customer, deadline: number): Promise<string> {
  const base = `/api/v2.1/customer/${customer.customerId}`;
  let status = 'UNKNOWN';
  while (Date.now() < deadline) {
    const state = await api.call('GET', `${base}/onboarding`);
    if (state.status !== 200) {
      await sleep(500);
      continue;
    }
    status = state.body.status as string;
    if (SETTLED.has(status)) return status;
    const next = await step(api, inboxUrl, customer, base, status, state.body.due as string[]);
    if (next === 'wait') await sleep(300);
  }
  return status;
}

async function step(api: TenantApi, inboxUrl: string, customer: Customer, base: string, status: string, due: string[]): Promise<'wait' | 'moved'> {
  switch (status) {
    case 'PENDING_EMAIL_VERIFICATION': {
      const code = await latestCode(inboxUrl, customer.email);
      if (!code) return 'wait';
      const res = await api.call('POST', `${base}/verify-email`, { code });
      if (res.status === 400) await api.call('POST', `${base}/verify-email/resend`); // spent or expired: ask for another
      return res.status === 200 ? 'moved' : 'wait';
    }
    case 'PENDING_PROFILE':
      return (await api.call('PUT', `/v2/profile/${customer.customerId}`, PROFILE)).status === 200 ? 'moved' : 'wait';
    case 'PENDING_CONSENTS': {
      for (const requirement of due.filter((d) => d.startsWith('CONSENT:'))) {
        await api.call('POST', `${base}/consents/${requirement.slice('CONSENT:'.length)}`, { accepted: true, version: '2026-01' });
      }
      return 'moved';
    }
    case 'PENDING_KYC':
      return (await api.call('POST', `${base}/verification`)).status === 202 ? 'moved' : 'wait';
    case 'KYC_APPROVED':
      return (await api.call('POST', `${base}/activation`)).status === 200 ? 'moved' : 'wait';
    default:
      return 'wait';
  }
}

interface InboxEmail {
  subject: string;
  text: string;
  date: string;
  messageId: string;
  to: Array<{ address: string }>;
}

async function latestCode(inboxUrl: string, email: string): Promise<string | undefined> {
  const mails = await inbox(inboxUrl, email).catch(() => []);
  const newest = mails.filter((m) => m.subject === 'Your verification code').sort((a, b) => a.date.localeCompare(b.date)).at(-1);
  return newest ? /code is (\d{6})/.exec(newest.text)?.[1] : undefined;
}

export async function inbox(inboxUrl: string, email?: string): Promise<InboxEmail[]> {
  const res = await fetch(`${inboxUrl}/email${email ? `?to.address=${encodeURIComponent(email)}` : ''}`);
  return (await res.json()) as InboxEmail[];
}

/** E-mails to these addresses delivered more than once: the same Message-ID (one per workflow step) seen twice. */
export async function duplicateEmails(inboxUrl: string, addresses: string[]): Promise<number> {
  const wanted = new Set(addresses.map((a) => a.toLowerCase()));
  const seen = new Map<string, number>();
  for (const mail of await inbox(inboxUrl)) {
    if (!mail.to.some((to) => wanted.has(to.address.toLowerCase()))) continue;
    seen.set(mail.messageId, (seen.get(mail.messageId) ?? 0) + 1);
  }
  return [...seen.values()].filter((n) => n > 1).reduce((sum, n) => sum + n - 1, 0);
}

/** Runs `work` over `items` with at most `concurrency` at a time. */
export async function pool<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}
