/**
 * One onboarding driven over HTTP the way a tenant's backend drives it, as the onboarding benchmarks share it:
 * JSON and multipart calls that must answer an expected status, steps timed by name, polling with a per-step
 * deadline, and the codes the stack's MailDev inbox received. Every wait is bounded by the step timeout and by
 * the run's overall abort signal.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** A person's profile as the identity details route takes it (the sandbox approves it). */
export const PERSON_PROFILE = {
  dob: '1990-04-15',
  nationality: 'USA',
  country_of_residence: 'USA',
  address: { street_line_1: '123 Market Street', city: 'San Francisco', postal_code: '94103', subdivision_code: 'US-CA', country: 'USA' },
};

/** The same person's profile as `PUT /v2/profile` takes it, in seed 004's sections. */
export const INDIVIDUAL_PROFILE = {
  basic_info: { dob: PERSON_PROFILE.dob, primary_nationality: PERSON_PROFILE.nationality, country_of_residence: PERSON_PROFILE.country_of_residence },
  address: PERSON_PROFILE.address,
};

export interface JourneyOptions {
  url: string;
  inbox: string;
  stepTimeoutS: number;
  pollMs: number;
  /** Prints each call and step as it happens (one onboarding, to show the flow). */
  verbose?: boolean;
}

export interface HttpAnswer {
  status: number;
  text: string;
  json: any;
}

interface InboxMail {
  subject?: string;
  text?: string;
  to?: Array<{ address: string }>;
}

/** Ids in paths and messages are replaced by their kind, so errors group and logs carry no identifiers. */
const redactIds = (text: string) => text.replace(/\b(cust|org|pty|doc|ver)_[0-9a-f]{24,32}\b/g, '{$1}');

export async function call(url: string, method: string, signal: AbortSignal, headers: Record<string, string> = {}, body?: unknown): Promise<HttpAnswer> {
  const form = body instanceof FormData;
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : form ? body : JSON.stringify(body), signal });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

export interface Outcome<Step extends string> {
  ok: boolean;
  totalMs: number;
  steps: Partial<Record<Step, number>>;
  /** The customer the onboarding created, for the cost figures read from Temporal afterwards. */
  customerId?: string;
  failedStep?: Step;
  error?: string;
}

/** The tools of one onboarding: `api` for calls, `timed` to attribute time to a step, `poll`, and the inbox. */
export function journey<Step extends string>(opts: JourneyOptions, headers: Record<string, string>, overall: AbortSignal, first: Step) {
  const steps: Partial<Record<Step, number>> = {};
  const started = performance.now();
  let current: Step = first;
  let customerId: string | undefined;
  const signal = () => AbortSignal.any([overall, AbortSignal.timeout(opts.stepTimeoutS * 1000)]);
  // Polling repeats the same call many times: a run of identical lines is printed once, then counted.
  let lastLine = '';
  let repeats = 0;
  const log = (line: string) => {
    if (!opts.verbose) return;
    const text = redactIds(line);
    if (text === lastLine) return void repeats++;
    if (repeats) console.log(`             (the line above ${repeats} more time${repeats > 1 ? 's' : ''})`);
    [lastLine, repeats] = [text, 0];
    console.log(`  ${((performance.now() - started) / 1000).toFixed(3).padStart(8)} s  ${text}`);
  };

  /** A call to the API, whatever it answers; `otherHeaders` replace the tenant's (e.g. the platform admin's token). */
  const request = async (method: string, path: string, body?: unknown, otherHeaders?: Record<string, string>) => {
    const sent = otherHeaders ?? (body instanceof FormData ? withoutContentType(headers) : headers);
    const res = await call(`${opts.url}${path}`, method, signal(), sent, body);
    log(`${method} ${path} → ${res.status}`);
    return res;
  };

  /** A call that must answer `expected`: its JSON body. */
  const api = async (method: string, path: string, expected: number, body?: unknown, otherHeaders?: Record<string, string>) => {
    const res = await request(method, path, body, otherHeaders);
    if (res.status !== expected) throw new Error(`${method} ${redactIds(path)} → ${res.status} ${redactIds(res.text.slice(0, 300))}`);
    return res.json;
  };

  const timed = async <T>(step: Step, work: () => Promise<T>): Promise<T> => {
    current = step;
    const t0 = performance.now();
    const value = await work();
    const ms = performance.now() - t0;
    steps[step] = (steps[step] ?? 0) + ms;
    log(`step ${step} done in ${ms.toFixed(0)} ms`);
    return value;
  };

  /** Probes until it returns a value; the step timeout bounds the whole wait. */
  const poll = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    const deadline = performance.now() + opts.stepTimeoutS * 1000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (performance.now() > deadline) throw new Error(`${what}: not within ${opts.stepTimeoutS} s`);
      await sleep(opts.pollMs, undefined, { signal: overall });
    }
  };

  /** The e-mails MailDev holds for `address` whose subject passes `subject`, oldest first. */
  const mailsTo = async (address: string, subject: (s: string) => boolean): Promise<InboxMail[]> => {
    const res = await call(`${opts.inbox}/email?to.address=${encodeURIComponent(address)}`, 'GET', signal());
    if (res.status !== 200 || !Array.isArray(res.json)) throw new Error(`MailDev GET /email → ${res.status} ${res.text.slice(0, 200)}`);
    const lower = address.toLowerCase();
    return (res.json as InboxMail[]).filter((m) => subject(m.subject ?? '') && m.to?.some((to) => to.address.toLowerCase() === lower));
  };

  /** The 6-digit e-mail verification code sent to `address`, waited for. */
  const emailCode = async (address: string): Promise<string> => {
    const code = await poll(`verification e-mail to ${address}`, async () => {
      const mail = (await mailsTo(address, (s) => s === 'Your verification code')).at(-1);
      return mail ? (/code is (\d{6})/.exec(mail.text ?? '')?.[1] ?? '') : undefined;
    });
    if (!/^\d{6}$/.test(code)) throw new Error('verification e-mail has no 6-digit code');
    return code;
  };

  const outcome = (error?: unknown): Outcome<Step> => {
    const totalMs = performance.now() - started;
    if (error === undefined) return { ok: true, totalMs, steps, customerId };
    const message = overall.aborted ? 'overall --timeout reached' : error instanceof Error ? `${error.message} ${String(error.cause ?? '')}`.trim() : String(error);
    log(`FAILED in ${current}: ${message}`);
    return { ok: false, totalMs, steps, customerId, failedStep: current, error: redactIds(message) };
  };

  return { request, api, timed, poll, mailsTo, emailCode, outcome, log, setCustomer: (id: string) => void (customerId = id) };
}

export type Journey<Step extends string> = ReturnType<typeof journey<Step>>;

/** fetch sets the multipart boundary itself; a JSON content type would hide it. */
function withoutContentType(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-type'));
}
