/**
 * Operator tooling end to end: an onboarding stuck on an activity that keeps failing for a real reason (the SMTP
 * relay refuses connections) is found by the ops service, the CLI and the OPERATOR routes with its last error; dry
 * runs change nothing; once the relay is back, "retry now" sends the code and the onboarding finishes. A run ended
 * by mistake is reset to its last good point and carries on. The timeline and the evidence export list the steps.
 */
import { temporal as proto } from '@temporalio/proto';
import { createSmtpMailer, type Mailer } from '../../activities/mailer';
import { parseConfig } from '../../common/config';
import { onboardingWorkflowId } from '../../common/onboarding-contract';
import { createOperationsService, type OperationsService } from '../../api/operations/service';
import { startHarness, type Harness } from '../support/harness';
import { emailsTo, waitForEmails } from '../support/inbox';
import { CONSENTS, PROFILE, readyForKyc, register, verifyEmail, waitForStatus } from '../support/journey';
import { runOpsCli } from '../support/ops-cli';
import { freePort } from '../support/ports';
import { staffSession } from '../support/staff';
import { testInfrastructure } from '../support/infrastructure';
import { createTenant, type TenantSession } from '../support/tenant-client';

let h: Harness;
let operations: OperationsService;
let tenant: TenantSession;
/** The relay the worker's mailer talks to: a port nothing listens on while down, MailDev once up. */
const relay = { up: false };
const BASE = '/api/v2.1/admin/operations';

beforeAll(async () => {
  const from = parseConfig({ NODE_ENV: 'test' }).MAIL_FROM;
  const down = createSmtpMailer(`smtp://127.0.0.1:${await freePort()}`, from);
  const up = createSmtpMailer(testInfrastructure().smtpUrl, from);
  const mailer: Mailer = { send: (email) => (relay.up ? up : down).send(email), close: () => (up.close(), down.close()) };
  h = await startHarness('operations', { activityDeps: { mailer } });
  operations = createOperationsService({ db: h.db, temporal: h.temporal, taskQueue: h.config.TEMPORAL_TASK_QUEUE, namespace: h.config.TEMPORAL_NAMESPACE });
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const retryingCode = (customerId: string, minAttempt: number) => async () => {
  const items = await operations.failed({ tenantId: tenant.tenantId });
  return items.find((item) => item.kind === 'ACTIVITY_RETRYING' && item.execution.customerId === customerId && item.activity.activityType === 'sendVerificationEmail' && item.activity.attempt >= minAttempt);
};

it('finds a customer stuck on a failing activity with its last error, changes nothing on dry runs, and finishes after retry now', async () => {
  const customer = await register(tenant);
  const workflowId = onboardingWorkflowId(tenant.tenantId, customer.customerId);
  const found = await until(retryingCode(customer.customerId, 3), 30_000, 'the code e-mail retrying');
  if (found.kind !== 'ACTIVITY_RETRYING') throw new Error('unreachable');
  // Why: the relay's refusal, by kind and code, never the customer's address.
  expect(found.activity.lastFailure).toMatch(/^MailDeliveryError: SMTP send failed \(ESOCKET\): connect ECONNREFUSED/);
  expect(found.activity.lastFailure).not.toContain(customer.email);

  // The service, the CLI and the route each find it: stuck at its step, and failing.
  const stuck = await operations.stuck(1, { tenantId: tenant.tenantId, step: 'PENDING_EMAIL_VERIFICATION' });
  expect(stuck.map((row) => row.customerId)).toContain(customer.customerId);
  expect(await operations.stuck(3600_000, { tenantId: tenant.tenantId })).toEqual([]);
  const stuckCli = await runOpsCli(h, ['stuck', '--for', '1s', '--step', 'PENDING_EMAIL_VERIFICATION', '--tenant', tenant.tenantId]);
  expect(stuckCli).toMatchObject({ code: 0, stdout: expect.stringContaining(customer.customerId) });
  const failedCli = await runOpsCli(h, ['failed', '--tenant', tenant.tenantId]);
  expect(failedCli.code).toBe(0);
  expect(failedCli.stdout).toMatch(new RegExp(`${customer.customerId}.*activity retrying.*sendVerificationEmail.*ECONNREFUSED`));
  const operator = await staffSession(h, ['OPERATOR']);
  const failedRoute = await operator.call('GET', `${BASE}/failed?tenantId=${tenant.tenantId}`);
  expect(failedRoute.status).toBe(200);
  expect(failedRoute.body.data).toContainEqual(
    expect.objectContaining({ kind: 'ACTIVITY_RETRYING', activity: expect.objectContaining({ activityType: 'sendVerificationEmail', lastFailure: expect.stringContaining('ECONNREFUSED') }) }),
  );

  // Dry runs say what would happen and change nothing: same run, attempts still counting up.
  const before = await h.temporal.workflow.getHandle(workflowId).describe();
  const resetDry = await runOpsCli(h, ['reset', customer.customerId, '--tenant', tenant.tenantId, '--dry-run']);
  expect(resetDry.code).toBe(0);
  expect(resetDry.stdout).toMatch(/Would reset .* to event \d+: the workflow task that scheduled the retrying activity sendVerificationEmail/);
  expect(resetDry.stdout).toMatch(/Runs again: .*sendVerificationEmail/);
  expect(resetDry.stdout).toContain('Nothing changed (dry run)');
  const retryDry = await runOpsCli(h, ['retry-activity', customer.customerId, '--dry-run']);
  expect(retryDry).toMatchObject({ code: 0, stdout: expect.stringMatching(/Would retry now[\s\S]*sendVerificationEmail/) });
  const batchDry = await runOpsCli(h, ['batch', 'retry', '--filter', `tenant=${tenant.tenantId}`, '--dry-run']);
  expect(batchDry).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`Dry run: nothing changed[\\s\\S]*${customer.customerId}.*would retry sendVerificationEmail`)) });
  const after = await h.temporal.workflow.getHandle(workflowId).describe();
  expect(after.runId).toBe(before.runId);
  const stillRetrying = await retryingCode(customer.customerId, found.activity.attempt)();
  expect(stillRetrying).toBeDefined();
  expect(await emailsTo(h.infra.inboxUrl, customer.email)).toHaveLength(0);

  // Skipping the code is refused: the onboarding needs it.
  const skip = await runOpsCli(h, ['skip-activity', customer.customerId, '--activity-id', found.activity.activityId]);
  expect(skip.code).toBe(1);
  expect(skip.stderr).toMatch(/CONFLICT: sendVerificationEmail may not be skipped/);

  // Paused while the relay is being fixed: no attempt runs, even once it is back, until the retry.
  const pause = await runOpsCli(h, ['pause-activity', customer.customerId, '--reason', 'SMTP relay down']);
  expect(pause).toMatchObject({ code: 0, stdout: expect.stringMatching(/Paused[\s\S]*sendVerificationEmail/) });
  const paused = await until(async () => {
    const items = await operations.failed({ tenantId: tenant.tenantId, activityType: 'sendVerificationEmail' });
    return items.find((item) => item.kind === 'ACTIVITY_RETRYING' && item.execution.customerId === customer.customerId && item.activity.paused);
  }, 10_000, 'the activity paused');
  expect(paused).toBeDefined();
  relay.up = true;
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect(await emailsTo(h.infra.inboxUrl, customer.email)).toHaveLength(0);

  // The fault is fixed; retry now sends the code at once, as a fresh first attempt.
  const retry = await runOpsCli(h, ['retry-activity', customer.customerId, '--tenant', tenant.tenantId]);
  expect(retry).toMatchObject({ code: 0, stdout: expect.stringMatching(/Retrying now[\s\S]*sendVerificationEmail/) });
  await waitForEmails(h.infra.inboxUrl, customer.email, 1);
  // The attempt that sent it was attempt 1 again (the server reset it), not the next of the back-off's.
  const events = (await h.temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const scheduled = events.find((event) => event.activityTaskScheduledEventAttributes?.activityId === found.activity.activityId);
  const started = events.find((event) => String(event.activityTaskStartedEventAttributes?.scheduledEventId) === String(scheduled?.eventId));
  expect(started?.activityTaskStartedEventAttributes?.attempt).toBe(1);

  // The onboarding finishes.
  expect((await verifyEmail(h, tenant, customer)).status).toBe(200);
  expect((await tenant.call('PUT', `/v2/profile/${customer.customerId}`, PROFILE)).status).toBe(200);
  for (const type of CONSENTS) expect((await tenant.call('POST', `${customer.path}/consents/${type}`, { accepted: true, version: '2026-01' })).status).toBeLessThan(300);
  expect((await tenant.call('POST', `${customer.path}/verification`)).status).toBe(202);
  await waitForStatus(tenant, customer.path, 'KYC_APPROVED', 30_000);
  expect((await tenant.call('POST', `${customer.path}/activation`)).body.status).toBe('ACTIVE');

  // The timeline lists the steps in order, with the e-mails, the check and the workflow's events.
  const timeline = await runOpsCli(h, ['timeline', customer.customerId, '--tenant', tenant.tenantId]);
  expect(timeline.code).toBe(0);
  const statusLines = timeline.stdout.split('\n').filter((row) => /\bstatus\b/.test(row)).map((row) => row.split(/\s{2,}/)[2]);
  expect(statusLines).toEqual(['PENDING_EMAIL_VERIFICATION', 'PENDING_PROFILE', 'PENDING_CONSENTS', 'PENDING_KYC', 'KYC_IN_PROGRESS', 'KYC_APPROVED', 'ACTIVE']);
  expect(timeline.stdout).toMatch(/email\s+SENT\s+verification-email/);
  expect(timeline.stdout).toMatch(/kyc\s+CHECK_APPROVED/);
  expect(timeline.stdout).toMatch(/workflow\s+ACTIVITY_COMPLETED\s+sendVerificationEmail/);

  // The evidence export is valid JSON with the same steps, and no personal data.
  const exported = await runOpsCli(h, ['export', customer.customerId, '--format', 'json']);
  expect(exported.code).toBe(0);
  const evidence = JSON.parse(exported.stdout);
  expect(evidence.customer).toMatchObject({ customerId: customer.customerId, tenantId: tenant.tenantId, status: 'ACTIVE' });
  expect(evidence.entries.filter((e: { source: string }) => e.source === 'status').map((e: { event: string }) => e.event)).toEqual(statusLines);
  expect(exported.stdout).not.toContain(customer.email);
  expect(exported.stdout).not.toMatch(/John|Doe|Market Street/);
}, 300_000);

it('resets a run ended by mistake to its last good point, naming the operator, and the onboarding carries on', async () => {
  relay.up = true;
  const customer = await register(tenant);
  await waitForEmails(h.infra.inboxUrl, customer.email, 1);
  const handle = h.temporal.workflow.getHandle(onboardingWorkflowId(tenant.tenantId, customer.customerId));
  // Terminated between tasks: a workflow task in flight would be failed by the termination, and the reset point
  // would then be the task before it (right too, but not what this test names).
  await until(async () => {
    const { raw } = await handle.describe();
    return raw.pendingActivities?.length || raw.pendingWorkflowTask ? undefined : true;
  }, 10_000, 'no pending activity or workflow task');
  await handle.terminate('ended by mistake');

  // Visibility is eventually consistent: the terminated run shows up in the listing shortly after.
  const failed = await until(async () => {
    const items = await operations.failed({ tenantId: tenant.tenantId });
    return items.some((item) => item.kind === 'WORKFLOW_FAILED' && item.execution.customerId === customer.customerId) ? items : undefined;
  }, 15_000, 'the terminated run listed');
  expect(failed).toContainEqual(expect.objectContaining({ kind: 'WORKFLOW_FAILED', execution: expect.objectContaining({ customerId: customer.customerId, status: 'TERMINATED' }) }));
  const operator = await staffSession(h, ['OPERATOR']);
  const dry = await operator.call('POST', `${BASE}/onboardings/${customer.customerId}/reset`, { dryRun: true, reason: 'terminated by mistake' });
  expect(dry.status).toBe(200);
  expect(dry.body).toMatchObject({ dryRun: true, basis: expect.stringContaining('WORKFLOW_EXECUTION_TERMINATED') });
  expect((await handle.describe()).status.name).toBe('TERMINATED');

  const reset = await operator.call('POST', `${BASE}/onboardings/${customer.customerId}/reset`, { dryRun: false, reason: 'terminated by mistake' });
  expect(reset.status).toBe(200);
  expect(reset.body.newRunId).toEqual(expect.any(String));
  const now = await handle.describe();
  expect(now).toMatchObject({ runId: reset.body.newRunId, status: { name: 'RUNNING' } });
  // Temporal keeps the reason, with who asked, on the new run.
  const events = (await h.temporal.workflow.getHandle(handle.workflowId, reset.body.newRunId).fetchHistory()).events ?? [];
  const resetTask = events.find((event) => event.workflowTaskFailedEventAttributes?.cause === proto.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW);
  expect(resetTask?.workflowTaskFailedEventAttributes?.failure?.message).toBe(`terminated by mistake (by staff:${operator.staffId})`);

  expect((await verifyEmail(h, tenant, customer)).status).toBe(200);
  expect((await tenant.call('GET', `${customer.path}/onboarding`)).body.status).toBe('PENDING_PROFILE');
}, 120_000);

it('lists onboardings waiting on staff, exports printable evidence, and answers 403 to every role but OPERATOR and PLATFORM_ADMIN', async () => {
  relay.up = true;
  const customer = await readyForKyc(h, tenant, { lastName: 'Review' });
  expect((await tenant.call('POST', `${customer.path}/verification`)).status).toBe(202);
  await waitForStatus(tenant, customer.path, 'MANUAL_REVIEW', 30_000);
  const waiting = await runOpsCli(h, ['waiting', '--tenant', tenant.tenantId]);
  expect(waiting).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`${customer.customerId}.*MANUAL_REVIEW`)) });

  const operator = await staffSession(h, ['OPERATOR']);
  const html = await operator.call('GET', `${BASE}/onboardings/${customer.customerId}/export/html`);
  expect(html.status).toBe(200);
  expect(html.headers.get('content-type')).toMatch(/^text\/html/);
  expect(html.body).toMatch(/<table>[\s\S]*MANUAL_REVIEW/);
  expect(html.body).toContain(`by staff:${operator.staffId}`);
  const json = await operator.call('GET', `${BASE}/onboardings/${customer.customerId}/export`);
  expect(json.status).toBe(200);
  expect(json.body).toMatchObject({ exportedBy: `staff:${operator.staffId}`, customer: { customerId: customer.customerId, status: 'MANUAL_REVIEW' } });
  expect((await operator.call('GET', `${BASE}/stuck?for=banana`)).body).toMatchObject({ error: 'VALIDATION_ERROR', details: [expect.objectContaining({ field: 'for' })] });

  for (const role of ['COMPLIANCE_OFFICER', 'AUDITOR'] as const) {
    const other = await staffSession(h, [role]);
    expect((await other.call('GET', `${BASE}/waiting`)).status).toBe(403);
    expect((await other.call('GET', `${BASE}/onboardings/${customer.customerId}/timeline`)).status).toBe(403);
    expect((await other.call('POST', `${BASE}/onboardings/${customer.customerId}/reset`, { dryRun: false, reason: 'not mine to do' })).status).toBe(403);
    expect((await other.call('POST', `${BASE}/activities/retry`, { customerId: customer.customerId })).status).toBe(403);
  }
  expect((await (await staffSession(h, ['PLATFORM_ADMIN'])).call('GET', `${BASE}/waiting?tenantId=${tenant.tenantId}`)).status).toBe(200);
}, 120_000);
