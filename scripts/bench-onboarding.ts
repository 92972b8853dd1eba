/**
 * `npx tsx scripts/bench-onboarding.ts [--concurrency 4] [--count 40] [--timeout 300] [--step-timeout 30] [--poll-ms 100]
 *   [--url http://localhost:3000] [--inbox http://localhost:1080] [--data-dir .data] [--json]`
 *
 * Closed-loop benchmark of COMPLETE onboardings against a running `npm start` stack: each of --concurrency workers
 * takes customers one after another until --count have been tried. A customer registers (v2.1, no phone), reads its
 * code from MailDev, verifies the e-mail, sends the profile and the three consents, starts KYC with the sandbox
 * provider (default last name: approved), polls the onboarding until KYC_APPROVED and activates. Reports onboardings
 * per second, whole-onboarding latency and the mean time of each step. Uses the demo tenant in .data/demo-tenant.json;
 * loopback targets only. Exits 1 if any onboarding failed or the --timeout (seconds, overall) cut the run short.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_DATA_DIR, parseFlags, tenantHeaders } from './bench-support';

const CONSENTS = ['TERMS_AND_CONDITIONS', 'PRIVACY_POLICY', 'DATA_PROCESSING'] as const;
const PROFILE = {
  dob: '1990-04-15',
  nationality: 'USA',
  country_of_residence: 'USA',
  address: { street_line_1: '123 Market Street', city: 'San Francisco', postal_code: '94103', subdivision_code: 'US-CA', country: 'USA' },
};
const STEPS = ['register', 'emailCode', 'verifyEmail', 'profile', 'consents', 'kyc', 'activation'] as const;
type Step = (typeof STEPS)[number];
const STEP_LABELS: Record<Step, string> = {
  register: 'register', emailCode: 'email code arrival', verifyEmail: 'verify e-mail', profile: 'profile',
  consents: 'consents (3)', kyc: 'KYC start→approved', activation: 'activation',
};

interface Options { url: string; inbox: string; dataDir: string; concurrency: number; count: number; timeoutS: number; stepTimeoutS: number; pollMs: number; json: boolean }

function parseArgs(argv: string[]): Options {
  const flags = parseFlags(argv, ['--url', '--inbox', '--data-dir', '--concurrency', '--count', '--timeout', '--step-timeout', '--poll-ms']);
  return {
    url: flags.loopbackUrl('--url', 'http://localhost:3000'),
    inbox: flags.loopbackUrl('--inbox', 'http://localhost:1080'),
    dataDir: flags.text('--data-dir', DEFAULT_DATA_DIR),
    concurrency: flags.number('--concurrency', 4, 1, true),
    count: flags.number('--count', 40, 1, true),
    timeoutS: flags.number('--timeout', 300, 1),
    stepTimeoutS: flags.number('--step-timeout', 30, 1),
    pollMs: flags.number('--poll-ms', 100, 10),
    json: flags.has('--json'),
  };
}

async function call(url: string, method: string, signal: AbortSignal, headers: Record<string, string> = {}, body?: unknown) {
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  const text = await response.text();
  let json: any;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: response.status, text, json };
}

interface Outcome { ok: boolean; totalMs: number; steps: Partial<Record<Step, number>>; failedStep?: Step; error?: string }

async function onboard(opts: Options, headers: Record<string, string>, email: string, overall: AbortSignal): Promise<Outcome> {
  const steps: Partial<Record<Step, number>> = {};
  const started = performance.now();
  let current: Step = 'register';
  const signal = () => AbortSignal.any([overall, AbortSignal.timeout(opts.stepTimeoutS * 1000)]);
  const api = async (method: string, path: string, expected: number, body?: unknown) => {
    const res = await call(`${opts.url}${path}`, method, signal(), headers, body);
    if (res.status !== expected) throw new Error(`${method} ${path.replace(/cus_\w+/, '{id}')} → ${res.status} ${res.text.slice(0, 300)}`);
    return res.json;
  };
  const timed = async <T>(step: Step, work: () => Promise<T>): Promise<T> => {
    current = step;
    const t0 = performance.now();
    const value = await work();
    steps[step] = performance.now() - t0;
    return value;
  };
  const poll = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    const deadline = performance.now() + opts.stepTimeoutS * 1000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (performance.now() > deadline) throw new Error(`${what}: not within ${opts.stepTimeoutS} s`);
      await sleep(opts.pollMs, undefined, { signal: overall });
    }
  };
  try {
    const registered = await timed('register', () => api('POST', '/api/v2.1/customer/individual/registration', 201, {
      firstName: 'Bench', lastName: 'Onboarding', email, password: 'SecurePassword123!', captcha: 'bench', termsAccepted: true, marketingConsent: false,
    }));
    const path = `/api/v2.1/customer/${registered.customerId as string}`;
    const code = await timed('emailCode', () => poll(`verification e-mail to ${email}`, async () => {
      const res = await call(`${opts.inbox}/email?to.address=${encodeURIComponent(email)}`, 'GET', signal());
      if (res.status !== 200 || !Array.isArray(res.json)) throw new Error(`MailDev GET /email → ${res.status} ${res.text.slice(0, 200)}`);
      const mail = (res.json as Array<{ subject?: string; text?: string; to?: Array<{ address: string }> }>).find(
        (m) => m.subject === 'Your verification code' && m.to?.some((to) => to.address.toLowerCase() === email));
      return mail ? (/code is (\d{6})/.exec(mail.text ?? '')?.[1] ?? '') : undefined;
    }));
    if (!/^\d{6}$/.test(code)) throw new Error('verification e-mail has no 6-digit code');
    await timed('verifyEmail', () => api('POST', `${path}/verify-email`, 200, { code }));
    await timed('profile', () => api('PUT', `/v2/profile/${registered.customerId as string}`, 200, PROFILE));
    await timed('consents', async () => {
      for (const type of CONSENTS) await api('POST', `${path}/consents/${type}`, 201, { accepted: true, version: '2026-01' });
    });
    await timed('kyc', async () => {
      await api('POST', `${path}/verification`, 202);
      await poll('KYC_APPROVED', async () => {
        const status = (await api('GET', `${path}/onboarding`, 200)).status as string;
        if (['REJECTED', 'MANUAL_REVIEW', 'EXPIRED'].includes(status)) throw new Error(`KYC ended in ${status}`);
        return status === 'KYC_APPROVED' ? status : undefined;
      });
    });
    await timed('activation', async () => {
      const status = (await api('POST', `${path}/activation`, 200)).status;
      if (status !== 'ACTIVE') throw new Error(`activation answered status ${String(status)}`);
    });
    return { ok: true, totalMs: performance.now() - started, steps };
  } catch (error) {
    const message = overall.aborted ? `overall --timeout reached` : error instanceof Error ? `${error.message} ${String(error.cause ?? '')}`.trim() : String(error);
    return { ok: false, totalMs: performance.now() - started, steps, failedStep: current, error: message };
  }
}

async function run(opts: Options) {
  const overall = new AbortController();
  const deadline = setTimeout(() => overall.abort(), opts.timeoutS * 1000);
  const headers = await tenantHeaders(opts.url, opts.dataDir, {}, overall.signal);
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const outcomes: Outcome[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < opts.count && !overall.signal.aborted) {
      const i = next++;
      outcomes.push(await onboard(opts, headers, `bench.onb.${runId}.${i}@example.com`, overall.signal));
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const wallS = (performance.now() - started) / 1000;
  clearTimeout(deadline);

  const done = outcomes.filter((o) => o.ok);
  const latencies = done.map((o) => o.totalMs).sort((a, b) => a - b);
  const pct = (p: number) => (latencies.length ? latencies[Math.max(0, Math.ceil((p / 100) * latencies.length) - 1)] : NaN);
  const stepMeanMs = Object.fromEntries(STEPS.map((step) => {
    const values = outcomes.flatMap((o) => (o.steps[step] === undefined ? [] : [o.steps[step]!]));
    return [step, values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN];
  })) as Record<Step, number>;
  const firstErrors = [...new Set(outcomes.filter((o) => !o.ok).map((o) => `${o.failedStep}: ${o.error}`))].slice(0, 5);
  return {
    url: opts.url, concurrency: opts.concurrency, requested: opts.count, attempted: outcomes.length,
    completed: done.length, failed: outcomes.length - done.length, notStarted: opts.count - outcomes.length, timedOut: overall.signal.aborted,
    wallS, perSecond: done.length / wallS,
    latencyMs: { p50: pct(50), p90: pct(90), p99: pct(99), max: latencies.at(-1) ?? NaN },
    stepMeanMs, firstErrors,
  };
}

function printTable(r: Awaited<ReturnType<typeof run>>) {
  const ms = (value: number) => value.toFixed(0).padStart(6);
  const sum = STEPS.reduce((acc, step) => acc + (Number.isNaN(r.stepMeanMs[step]) ? 0 : r.stepMeanMs[step]), 0);
  console.log(`Onboarding benchmark  ${r.url}  concurrency ${r.concurrency}, ${r.requested} onboardings (closed loop)
  completed    ${r.completed}   failed ${r.failed}${r.notStarted ? `   not started ${r.notStarted}` : ''}${r.timedOut ? '   (overall timeout hit)' : ''}
  wall time    ${r.wallS.toFixed(2)} s
  throughput   ${r.perSecond.toFixed(2)} onboardings/s
  latency ms   p50 ${ms(r.latencyMs.p50)}   p90 ${ms(r.latencyMs.p90)}   p99 ${ms(r.latencyMs.p99)}   max ${ms(r.latencyMs.max)}   (whole onboarding)
  mean per step (ms, share of the sum):`);
  for (const step of STEPS) console.log(`    ${STEP_LABELS[step].padEnd(20)} ${ms(r.stepMeanMs[step])}   ${((100 * r.stepMeanMs[step]) / sum).toFixed(0).padStart(3)} %`);
  if (r.firstErrors.length) console.log(`  FAILED; first distinct errors:\n${r.firstErrors.map((e) => `    ${e}`).join('\n')}`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const result = await run(opts);
  if (opts.json) console.log(JSON.stringify(result));
  else printTable(result);
  process.exitCode = result.failed || result.notStarted || result.completed < opts.count ? 1 : 0;
}

main().catch((error) => {
  console.error(error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ''}` : error);
  process.exitCode = 1;
});
