/**
 * `npx tsx scripts/bench-onboarding.ts [--concurrency 4] [--count 40] [--timeout 300] [--step-timeout 30] [--poll-ms 100]
 *   [--url http://localhost:3000] [--inbox http://localhost:1080] [--data-dir .data]
 *   [--temporal localhost:7233] [--namespace default] [--cost-sample 3] [--verbose] [--json]`
 *
 * Closed-loop benchmark of COMPLETE individual (B2C) onboardings against a running `npm start` stack: each of
 * --concurrency workers takes customers one after another until --count have been tried. A customer registers
 * (v2.1, no phone), reads its code from MailDev, verifies the e-mail, sends the profile and the three consents,
 * starts KYC with the sandbox provider (default last name: approved), polls the onboarding until KYC_APPROVED and
 * activates. Reports onboardings per second, whole-onboarding latency and per-step p50/p95/mean; with --temporal,
 * events, workflow tasks and activities per onboarding; with --verbose, every call of the first customer. Uses the
 * demo tenant in .data/demo-tenant.json; loopback targets only. Exits 1 if any onboarding failed or the --timeout
 * (seconds, overall) cut the run short.
 */
import { randomBytes } from 'node:crypto';
import { onboardingWorkflowId } from '../common/onboarding-contract';
import { INDIVIDUAL_PROFILE, journey, type JourneyOptions, type Outcome } from './bench-journey';
import { closedLoop, onboardingBenchOptions, printSummary, summarize, type OnboardingBenchOptions } from './bench-loop';
import { tenantHeaders } from './bench-support';
import { formatCost, meanWorkflowCost } from './bench-temporal-cost';

const CONSENTS = ['TERMS_AND_CONDITIONS', 'PRIVACY_POLICY', 'DATA_PROCESSING'] as const;
export const INDIVIDUAL_STEPS = ['register', 'emailCode', 'verifyEmail', 'profile', 'consents', 'kyc', 'activation'] as const;
type Step = (typeof INDIVIDUAL_STEPS)[number];
const LABELS: Record<Step, string> = {
  register: 'register', emailCode: 'email code arrival', verifyEmail: 'verify e-mail', profile: 'profile',
  consents: 'consents (3)', kyc: 'KYC start→approved', activation: 'activation',
};

/**
 * One onboarding, the bench's journey. It drives whatever answers the project's paths: `npm start`, or the
 * baseline started with `--flow journey` (scripts/baseline/), which takes the same calls without a token.
 */
export async function onboard(opts: JourneyOptions, headers: Record<string, string>, email: string, verbose: boolean, overall: AbortSignal): Promise<Outcome<Step>> {
  const j = journey<Step>({ ...opts, verbose }, headers, overall, 'register');
  try {
    const registered = await j.timed('register', () => j.api('POST', '/api/v2.1/customer/individual/registration', 201, {
      firstName: 'Bench', lastName: 'Onboarding', email, password: 'SecurePassword123!', captcha: 'bench', termsAccepted: true, marketingConsent: false,
    }));
    const customerId = registered.customerId as string;
    j.setCustomer(customerId);
    const path = `/api/v2.1/customer/${customerId}`;
    const code = await j.timed('emailCode', () => j.emailCode(email));
    await j.timed('verifyEmail', () => j.api('POST', `${path}/verify-email`, 200, { code }));
    await j.timed('profile', () => j.api('PUT', `/v2/profile/${customerId}`, 200, INDIVIDUAL_PROFILE));
    await j.timed('consents', async () => {
      for (const type of CONSENTS) await j.api('POST', `${path}/consents/${type}`, 201, { accepted: true, version: '2026-01' });
    });
    await j.timed('kyc', async () => {
      await j.api('POST', `${path}/verification`, 202);
      await j.poll('KYC_APPROVED', async () => {
        const status = (await j.api('GET', `${path}/onboarding`, 200)).status as string;
        if (['REJECTED', 'MANUAL_REVIEW', 'EXPIRED'].includes(status)) throw new Error(`KYC ended in ${status}`);
        return status === 'KYC_APPROVED' ? status : undefined;
      });
    });
    await j.timed('activation', async () => {
      const status = (await j.api('POST', `${path}/activation`, 200)).status;
      if (status !== 'ACTIVE') throw new Error(`activation answered status ${String(status)}`);
    });
    return j.outcome();
  } catch (error) {
    return j.outcome(error);
  }
}

/** What the journey is driven against: its headers, and the workflow an onboarding of it runs (for the cost figures). */
export interface JourneyTarget {
  headers(signal: AbortSignal): Promise<Record<string, string>>;
  workflowIdOf(customerId: string): string;
}

/** `npm start` at `opts.url`, as the demo tenant of its DATA_DIR. */
export function projectTarget(opts: OnboardingBenchOptions): JourneyTarget {
  let tenantId = '';
  return {
    async headers(signal) {
      const headers = await tenantHeaders(opts.url, opts.dataDir, {}, signal);
      tenantId = headers['x-tenant-id'];
      return headers;
    },
    workflowIdOf: (customerId) => onboardingWorkflowId(tenantId, customerId),
  };
}

export async function runIndividuals(opts: OnboardingBenchOptions, target = projectTarget(opts)) {
  const overall = new AbortController();
  const headers = await target.headers(overall.signal);
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  if (opts.verbose) console.log('First customer, step by step (ids shown as {kind}):');
  const loop = await closedLoop(opts, (i, signal) => onboard(opts, headers, `bench.onb.${runId}.${i}@example.com`, opts.verbose && i === 0, signal), overall);
  const summary = summarize(opts, INDIVIDUAL_STEPS, loop);
  const cost = opts.temporal
    ? await meanWorkflowCost(opts.temporal, opts.namespace, summary.completedIds.slice(0, opts.costSample).map(target.workflowIdOf))
    : undefined;
  const { completedIds: _ids, ...shown } = summary;
  return { url: opts.url, ...shown, temporalCost: cost };
}

async function main() {
  const { options } = onboardingBenchOptions(process.argv.slice(2), { count: 40, stepTimeoutS: 30 });
  const result = await runIndividuals(options);
  if (options.json) console.log(JSON.stringify(result));
  else {
    printSummary(`Onboarding benchmark  ${result.url}`, 'onboarding', LABELS, result);
    if (options.temporal) console.log(`  Temporal     ${formatCost(result.temporalCost)}`);
  }
  process.exitCode = result.failed || result.notStarted ? 1 : 0;
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ''}` : error);
    process.exitCode = 1;
  });
}
