/**
 * `npm run bench:organizations -- [--concurrency 4] [--count 20] [--timeout 600] [--step-timeout 60] [--poll-ms 100]
 *   [--url http://localhost:3000] [--inbox http://localhost:1080] [--data-dir .data] [--admin-token pat_…]
 *   [--temporal localhost:7233] [--namespace default] [--cost-sample 3] [--verbose] [--json]`
 *
 * Closed-loop benchmark of COMPLETE organization (B2B) onboardings against a running `npm start` stack, each driven
 * as a tenant's backend would: v2.1 registration with a representative → the representative's code from MailDev →
 * verify-email → the consents the tenant requires (as the answer lists them) → two directors and two shareholders (a
 * company owning 60 %, itself owned 100 % by a person, who is therefore a UBO; and a person owning 40 %) → a small PDF
 * as CERTIFICATE_OF_INCORPORATION (multipart) → KYB → then, polling the onboarding, whatever is due: a person's
 * details when an invitation e-mail asks for them, the staff decision (platform admin token) when it is in
 * MANUAL_REVIEW, activation once APPROVED → ACTIVE. Prints organizations per second, per-step p50/p95, failures;
 * with --temporal, events, workflow tasks and activities per organization (its workflow and every child);
 * with --verbose, every call of the first organization. Exits 1 if any onboarding failed or the run was cut short.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { journey, PERSON_PROFILE, type Journey, type Outcome } from './bench-journey';
import { closedLoop, onboardingBenchOptions, printSummary, summarize, type OnboardingBenchOptions } from './bench-loop';
import { adminHeaders, tenantHeaders } from './bench-support';
import { formatCost, meanHistoryCost } from './bench-temporal-cost';

export const ORGANIZATION_STEPS = ['register', 'emailCode', 'verifyEmail', 'consents', 'people', 'document', 'kybStart', 'checks', 'personDetails', 'staffDecision', 'activation'] as const;
type Step = (typeof ORGANIZATION_STEPS)[number];
const LABELS: Record<Step, string> = {
  register: 'register (v2.1)', emailCode: 'email code arrival', verifyEmail: 'verify e-mail', consents: 'consents',
  people: 'people (5 calls)', document: 'document upload', kybStart: 'KYB start', checks: 'checks (waiting)',
  personDetails: 'person details', staffDecision: 'staff decision', activation: 'activation',
};

const INVITATION = /^(Reminder: )?we still need a few details|^We need a few details/i;
const INVITATION_CODE = /\b([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\b/;
/** A one-page PDF: the upload route recognises the type from these bytes. */
const CERTIFICATE = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const OUTCOME_FAILED = new Set(['REJECTED', 'EXPIRED', 'REGISTRATION_FAILED']);

interface Context {
  opts: OnboardingBenchOptions;
  headers: Record<string, string>;
  admin: Record<string, string>;
  runId: string;
}

const person = (firstName: string, email: string) => ({
  firstName, lastName: 'Benchmark', email, dateOfBirth: '1980-02-29', nationality: 'DEU', countryOfResidence: 'DEU',
});

async function onboardOrganization(ctx: Context, i: number, overall: AbortSignal): Promise<Outcome<Step>> {
  const verbose = ctx.opts.verbose && i === 0;
  const j = journey<Step>({ ...ctx.opts, verbose }, ctx.headers, overall, 'register');
  const tag = `${ctx.runId}.${i}`;
  const email = (who: string) => `bench.org.${tag}.${who}@example.com`;
  try {
    const registered = await j.timed('register', () => j.api('POST', '/api/v2.1/customer/organization/registration', 201, {
      businessName: `Bench Trading ${tag}`, businessType: 'PRIVATE_LIMITED_COMPANY', registrationNumber: `BENCH-${tag}`,
      countryOfIncorporation: 'GBR', dateOfIncorporation: '2015-06-30', industryType: 'J',
      contactEmail: email('finance'), contactPhone: '+44 20 7946 0958',
      representative: { firstName: 'Rita', lastName: 'Benchmark', email: email('rep') }, captcha: 'bench',
    }));
    const orgId = registered.organizationId as string;
    j.setCustomer(orgId);
    const path = `/api/v2.1/customer/${orgId}`;
    const code = await j.timed('emailCode', () => j.emailCode(email('rep')));
    const verified = await j.timed('verifyEmail', () => j.api('POST', `${path}/verify-email`, 200, { code }));
    const consents = (verified.requirements?.currentlyDue ?? []).filter((due: string) => due.startsWith('CONSENT:')).map((due: string) => due.slice('CONSENT:'.length));
    await j.timed('consents', async () => {
      for (const type of consents) await j.api('POST', `${path}/consents/${type}`, 201, { accepted: true, version: '2026-01' });
    });
    // Who may be invited to supply details: e-mail → subject id (the organization's id stands for its representative).
    const subjects = new Map<string, string>([[email('rep'), orgId]]);
    await j.timed('people', async () => {
      for (const who of ['director1', 'director2']) {
        subjects.set(email(who), (await j.api('POST', `${path}/directors`, 201, person(who, email(who)))).partyId);
      }
      const holding = await j.api('POST', `${path}/shareholders`, 201, {
        kind: 'COMPANY', legalName: `Bench Holding ${tag}`, registrationNumber: `HOLD-${tag}`, countryOfIncorporation: 'DEU', ownershipPercent: 60,
      });
      for (const [who, share] of [['owner', { ownershipPercent: 100, ownerOf: holding.partyId }], ['investor', { ownershipPercent: 40 }]] as const) {
        subjects.set(email(who), (await j.api('POST', `${path}/shareholders`, 201, { kind: 'PERSON', ...person(who, email(who)), ...share })).partyId);
      }
    });
    if (verbose) {
      const ubos = (await j.api('GET', `${path}/ubos`, 200)).data as Array<{ email?: string; effectiveOwnershipPercent: number }>;
      j.log(`UBOs (computed): ${ubos.map((u) => `${u.email?.split('@')[0].split('.').at(-1) ?? '?'} ${u.effectiveOwnershipPercent} %`).join(', ')}`);
    }
    await j.timed('document', async () => {
      const form = new FormData();
      form.append('type', 'CERTIFICATE_OF_INCORPORATION');
      form.append('file', new Blob([CERTIFICATE], { type: 'application/pdf' }), 'certificate-of-incorporation.pdf');
      await j.api('POST', `${path}/documents`, 201, form);
    });
    await j.timed('kybStart', () => j.api('PUT', `/v2/kyb/initiateKYBStatus/${orgId}`, 202));
    await untilActive(ctx, j, path, orgId, subjects, email('rep'));
    return j.outcome();
  } catch (error) {
    return j.outcome(error);
  }
}

/**
 * Polls the onboarding and does what is due until ACTIVE: activation once APPROVED, the staff decision in
 * MANUAL_REVIEW, a person's details when an invitation e-mail asks for them. Something due that it cannot act on
 * (a decision the route refuses, no invitation yet) is retried at the poll interval for at most the step timeout.
 */
async function untilActive(ctx: Context, j: Journey<Step>, path: string, orgId: string, subjects: Map<string, string>, representative: string) {
  const usedCodes = new Set<string>();
  let stuckSince: number | undefined;
  for (;;) {
    const snapshot = await j.timed('checks', () => j.poll('a decision or something due', async () => {
      const s = await j.api('GET', `${path}/onboarding`, 200);
      if (OUTCOME_FAILED.has(s.status)) throw new Error(`onboarding ended ${s.status}: ${JSON.stringify(s.requirements?.errors ?? [])}`);
      const tenantOwes = (s.requirements?.currentlyDue ?? []).some((due: string) => due !== 'ACTIVATION') || awaitingDetails(s).length > 0;
      return ['APPROVED', 'ACTIVE', 'MANUAL_REVIEW'].includes(s.status) || tenantOwes ? s : undefined;
    }));
    if (snapshot.status === 'ACTIVE') return;
    if (snapshot.status === 'APPROVED') {
      await j.timed('activation', async () => {
        const status = (await j.api('POST', `${path}/activation`, 200)).status;
        if (status !== 'ACTIVE') throw new Error(`activation answered status ${String(status)}`);
      });
      return;
    }
    let acted: boolean;
    if (snapshot.status === 'MANUAL_REVIEW') {
      const decision = await j.timed('staffDecision', () => j.request('POST', `/api/v2.1/admin/organizations/${orgId}/review-decision`,
        { decision: 'APPROVE', reason: 'Registry extract and owners checked (benchmark)' }, ctx.admin));
      if (decision.status !== 200 && decision.status !== 409) throw new Error(`review-decision → ${decision.status} ${decision.text.slice(0, 300)}`);
      acted = decision.status === 200;
    } else {
      acted = await j.timed('personDetails', () => supplyRequestedDetails(j, orgId, detailsTargets(snapshot, subjects, representative), usedCodes));
    }
    if (acted) stuckSince = undefined;
    else {
      stuckSince ??= performance.now();
      if (performance.now() - stuckSince > ctx.opts.stepTimeoutS * 1000) {
        throw new Error(`${snapshot.status} with ${JSON.stringify(snapshot.requirements)} and nothing to act on for ${ctx.opts.stepTimeoutS} s`);
      }
      await j.timed('checks', () => sleep(ctx.opts.pollMs));
    }
  }
}

interface PersonState {
  partyId: string;
  reasons?: string[];
  status: string;
}

const awaitingDetails = (snapshot: { persons?: PersonState[] }) => (snapshot.persons ?? []).filter((p) => p.status === 'AWAITING_DETAILS');

/**
 * Whose details to send: the persons the snapshot lists as AWAITING_DETAILS (the representative, registered with
 * a name and an e-mail only, is a party the driver did not create: found by its role); without a persons list,
 * everyone the driver knows, by the e-mail their invitation would go to.
 */
function detailsTargets(snapshot: { persons?: PersonState[] }, subjects: Map<string, string>, representative: string): Array<[string, string]> {
  if (!snapshot.persons) return [...subjects];
  const emailOf = new Map([...subjects].map(([address, subjectId]) => [subjectId, address]));
  return awaitingDetails(snapshot).flatMap((p): Array<[string, string]> => {
    const address = emailOf.get(p.partyId) ?? (p.reasons?.includes('REPRESENTATIVE') ? representative : undefined);
    return address ? [[address, p.partyId]] : [];
  });
}

/** Answers each target's latest invitation e-mail not answered yet; true if it answered at least one. */
export async function supplyRequestedDetails(j: Journey<Step>, orgId: string, targets: Iterable<[string, string]>, usedCodes: Set<string>): Promise<boolean> {
  let supplied = false;
  for (const [address, subjectId] of targets) {
    const invitation = (await j.mailsTo(address, (subject) => INVITATION.test(subject))).at(-1);
    const code = invitation && INVITATION_CODE.exec(invitation.text ?? '')?.[1];
    if (!code || usedCodes.has(code)) continue;
    usedCodes.add(code);
    await j.api('POST', `/api/v2.1/customer/${orgId}/persons/${subjectId}/details`, 200, { invitationCode: code, profile: PERSON_PROFILE });
    supplied = true;
  }
  return supplied;
}

export async function runOrganizations(opts: OnboardingBenchOptions, adminToken?: string) {
  const overall = new AbortController();
  const headers = await tenantHeaders(opts.url, opts.dataDir, {}, overall.signal);
  const ctx: Context = { opts, headers, admin: await adminHeaders(opts.url, opts.dataDir, adminToken), runId: `${Date.now().toString(36)}${randomBytes(3).toString('hex')}` };
  if (opts.verbose) console.log('First organization, step by step (ids shown as {kind}):');
  const loop = await closedLoop(opts, (i, signal) => onboardOrganization(ctx, i, signal), overall);
  const summary = summarize(opts, ORGANIZATION_STEPS, loop);
  const cost = opts.temporal
    ? await meanHistoryCost(opts.temporal, opts.namespace, headers['x-tenant-id'], summary.completedIds.slice(0, opts.costSample))
    : undefined;
  const { completedIds: _ids, ...shown } = summary;
  return { url: opts.url, ...shown, temporalCost: cost };
}

async function main() {
  const { options, flags } = onboardingBenchOptions(process.argv.slice(2), { count: 20, stepTimeoutS: 60 }, ['--admin-token']);
  const result = await runOrganizations(options, flags.optional('--admin-token'));
  if (options.json) console.log(JSON.stringify(result));
  else {
    printSummary(`Organization onboarding benchmark  ${result.url}`, 'organization', LABELS, result);
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
