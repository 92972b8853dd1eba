/**
 * The benchmark's baseline journey (scripts/baseline/ started with --flow journey) makes as many updates, signals,
 * local activities and activities as one project onboarding of the bench's journey, so the two can be compared as
 * a ratio (npm run bench:baseline-journey). The bench's own client (`onboard`) drives one onboarding through each,
 * on the real Temporal, PostgreSQL and MailDev of the test run, and the counts are read from their histories.
 */
import { randomBytes } from 'node:crypto';
import { temporal as proto } from '@temporalio/proto';
import { onboardingWorkflowId } from '../../common/onboarding-contract';
import { journeyWorkflowId } from '../../scripts/baseline/journey-contract';
import { onboard } from '../../scripts/bench-onboarding';
import { startBaseline, stopBaseline } from '../../scripts/bench-vs-baseline-support';
import { startHarness, type Harness } from '../support/harness';
import { waitForEmails } from '../support/inbox';
import { codeIn } from '../support/journey';
import { freePort } from '../support/ports';
import { createTenant, uniqueEmail } from '../support/tenant-client';

const { EventType } = proto.api.enums.v1;
let h: Harness;
let baseline: Awaited<ReturnType<typeof startBaseline>> | undefined;

beforeAll(async () => {
  h = await startHarness('baseline_journey');
  const suffix = randomBytes(4).toString('hex');
  baseline = await startBaseline(
    { baselinePort: await freePort(), temporal: h.infra.temporalAddress, databaseUrl: h.infra.serverUrl, codec: 'encrypted' },
    ['--flow', 'journey', '--smtp-url', h.infra.smtpUrl, '--database', `test_baseline_journey_${suffix}`, '--task-queue', `baseline-journey-${suffix}`],
  );
}, 240_000);

afterAll(async () => {
  if (baseline) await stopBaseline(baseline.child);
  await h?.close();
});

interface Calls {
  updates: Record<string, number>;
  signals: number;
  localActivities: number;
  activities: number;
}

/** What a finished onboarding's workflow and its children asked of Temporal, counted from their histories. */
async function callsOf(workflowId: string, runId?: string, into: Calls = { updates: {}, signals: 0, localActivities: 0, activities: 0 }): Promise<Calls> {
  const handle = h.temporal.workflow.getHandle(workflowId, runId);
  const deadline = Date.now() + 20_000;
  while ((await handle.describe()).status.name !== 'COMPLETED') {
    if (Date.now() > deadline) throw new Error(`${workflowId} did not complete`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  for (const event of (await handle.fetchHistory()).events ?? []) {
    const update = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;
    if (update) into.updates[update] = (into.updates[update] ?? 0) + 1;
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) into.signals += 1;
    if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') into.localActivities += 1;
    if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) into.activities += 1;
    const child = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
    if (child?.workflowId) await callsOf(child.workflowId, child.runId ?? undefined, into);
  }
  return into;
}

async function drive(url: string, headers: Record<string, string>) {
  const email = uniqueEmail('bench.journey');
  const outcome = await onboard({ url, inbox: h.infra.inboxUrl, stepTimeoutS: 30, pollMs: 100 }, headers, email, false, new AbortController().signal);
  expect({ ok: outcome.ok, error: outcome.error }).toEqual({ ok: true, error: undefined }); // the error names the failed step
  return { customerId: outcome.customerId!, email };
}

const total = (updates: Record<string, number>) => Object.values(updates).reduce((sum, n) => sum + n, 0);

test('the baseline journey makes as many updates, signals, local activities and activities as one project onboarding', async () => {
  const tenant = await createTenant(h);
  const project = await drive(h.api.url, { ...tenant.headers, 'content-type': 'application/json' });
  const projectCalls = await callsOf(onboardingWorkflowId(tenant.tenantId, project.customerId));

  const journey = await drive(baseline!.url, { 'content-type': 'application/json' });
  const baselineCalls = await callsOf(journeyWorkflowId(journey.customerId));

  // The project's update names differ (emailVerified, …); their number and the rest must not.
  expect({ ...baselineCalls, updates: total(baselineCalls.updates) }).toEqual({ ...projectCalls, updates: total(projectCalls.updates) });
  expect(baselineCalls).toEqual({
    updates: { register: 1, verifyEmail: 1, completeProfile: 1, giveConsent: 3, startKyc: 1, activate: 1 },
    signals: 1,
    localActivities: 1,
    activities: 19,
  });
  // Its e-mails are real: the code the client read, the KYC outcome and the welcome, once each.
  const mails = await waitForEmails(h.infra.inboxUrl, journey.email, 3);
  expect(mails.map((m) => m.subject).sort()).toEqual(['Welcome', 'Your identity is verified', 'Your verification code']);
}, 180_000);

test('the baseline journey refuses a step out of order (409) and a wrong code (400), as the project does', async () => {
  const post = (path: string, body?: unknown) =>
    fetch(`${baseline!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const email = uniqueEmail('bench.refused');
  const registered = await post('/api/v2.1/customer/individual/registration', {
    firstName: 'Bench', lastName: 'Refused', email, password: 'SecurePassword123!', captcha: 'bench', termsAccepted: true,
  });
  expect(registered.status).toBe(201);
  const path = `/api/v2.1/customer/${((await registered.json()) as { customerId: string }).customerId}`;
  const early = await post(`${path}/activation`);
  expect([early.status, ((await early.json()) as { error: string }).error]).toEqual([409, 'INVALID_STATE']);
  const sent = codeIn((await waitForEmails(h.infra.inboxUrl, email, 1))[0].text);
  const wrong = await post(`${path}/verify-email`, { code: String((Number(sent) + 1) % 1_000_000).padStart(6, '0') });
  expect(wrong.status).toBe(400);
});
