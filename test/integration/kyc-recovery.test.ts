/**
 * KYC when the provider's answer goes missing: lost callbacks caught by polling, polls that cannot get an answer
 * ending in manual review with the reason, a vendor restarting with callbacks still owed, and a double-clicked
 * start opening one check only, and a KYC child an operator ended. The sandbox calls back for `Slow` only after SLOW_DELAY_MS, so a decision seen
 * sooner came from a poll.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityVerificationWorkflowId } from '../../common/identity-contract';
import { onboardingWorkflowId } from '../../common/onboarding-contract';
import type { RunningKycSandbox } from '../../devstack/kyc-sandbox';
import { staffHeaders } from '../support/staff';
import { startHarness, type Harness } from '../support/harness';
import { restartKycVendor, submittedCheck } from '../support/kyc-vendor';
import { readyForKyc, tenantWithSettings, waitForStatus } from '../support/journey';
import { createTenant, http } from '../support/tenant-client';
import { staffActorLabel } from '../support/staff-actor';

const SLOW_DELAY_MS = 8_000;
const stateDir = mkdtempSync(join(tmpdir(), 'kyc-recovery-'));
let h: Harness;
/** The vendor now answering on the harness's sandbox port (replaced by restarts). */
let vendor: RunningKycSandbox;
let vendorStateFile = join(stateDir, 'vendor-0.json');

beforeAll(async () => {
  h = await startHarness('kyc_recovery', { kycSandbox: { slowDelayMs: SLOW_DELAY_MS, stateFile: vendorStateFile } });
  vendor = h.kycSandbox;
});
afterAll(async () => {
  await vendor?.stop();
  await h?.close();
});

/** With the same state file, or as a vendor that lost everything (polls of earlier checks answer 404). */
async function restartVendor(keep: 'state' | 'nothing') {
  if (keep === 'nothing') vendorStateFile = join(stateDir, `vendor-${Date.now()}.json`);
  vendor = await restartKycVendor(h, vendor, { slowDelayMs: SLOW_DELAY_MS, stateFile: vendorStateFile });
}

it('finds a decision whose callback is late by polling, within seconds of kycFirstPollAfterSeconds', async () => {
  const tenant = await tenantWithSettings(h, { kycFirstPollAfterSeconds: 1 });
  const customer = await readyForKyc(h, tenant, { lastName: 'Slow' });
  const started = Date.now();
  expect((await tenant.call('POST', `${customer.path}/verification`)).status).toBe(202);
  await waitForStatus(tenant, customer.path, 'KYC_APPROVED', SLOW_DELAY_MS - 2_000);
  expect(Date.now() - started).toBeLessThan(SLOW_DELAY_MS);
  expect(await h.db('kyc_verifications').where({ customer_id: customer.customerId }).first()).toMatchObject({ status: 'APPROVED' });
});

it('sends the case to MANUAL_REVIEW with the reason when the polls cannot get an answer (the vendor lost the check)', async () => {
  const tenant = await tenantWithSettings(h, { kycFirstPollAfterSeconds: 1, kycResultTimeoutSeconds: 4 });
  const customer = await readyForKyc(h, tenant, { lastName: 'Silent' });
  await tenant.call('POST', `${customer.path}/verification`);
  await submittedCheck(h, customer.customerId);
  await restartVendor('nothing'); // every poll now answers 404

  await waitForStatus(tenant, customer.path, 'MANUAL_REVIEW', 15_000);
  const verification = await h.db('kyc_verifications').where({ customer_id: customer.customerId }).first();
  expect(verification.status).toBe('MANUAL_REVIEW');
  expect(verification.reason).toMatch(/^No result from the KYC provider in time; the last poll failed: .*404 NOT_FOUND/);
  const history = await h.db('customer_status_history').where({ customer_id: customer.customerId, status: 'MANUAL_REVIEW' });
  expect(history.map((row) => row.reason)).toEqual([verification.reason]);
  const execution = await h.temporal.workflow.getHandle(onboardingWorkflowId(tenant.tenantId, customer.customerId)).describe();
  expect(execution.status.name).toBe('RUNNING'); // waiting on staff, not failed
});

it('gets the callback a restarted vendor still owed from its state file, and the onboarding finishes', async () => {
  const tenant = await tenantWithSettings(h, {}); // default first poll (2 min): only the callback can decide it here
  const customer = await readyForKyc(h, tenant, { lastName: 'Slow' });
  await tenant.call('POST', `${customer.path}/verification`);
  await submittedCheck(h, customer.customerId);
  await restartVendor('state');

  await waitForStatus(tenant, customer.path, 'KYC_APPROVED', SLOW_DELAY_MS + 10_000);
  expect((await tenant.call('POST', `${customer.path}/activation`)).body.status).toBe('ACTIVE');
});

it('opens one verification for two concurrent starts, and refuses the other with 409 INVALID_STATE', async () => {
  const tenant = await tenantWithSettings(h, {});
  const customer = await readyForKyc(h, tenant);
  const answers = await Promise.all([1, 2].map(() => tenant.call('POST', `${customer.path}/verification`)));
  expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
  expect(answers.find((a) => a.status === 409)!.body.error).toBe('INVALID_STATE');
  await waitForStatus(tenant, customer.path, 'KYC_APPROVED');
  const verifications = await h.db('kyc_verifications').where({ tenant_id: tenant.tenantId, customer_id: customer.customerId });
  expect(verifications).toHaveLength(1);
});

it('takes kycFirstPollAfterSeconds from 1 s to 1 h, and refuses anything else with 400 naming the field', async () => {
  const tenant = await createTenant(h);
  const admin = await staffHeaders(h, 'PLATFORM_ADMIN');
  const put = (body: unknown) => http(h.api.url, 'PUT', `/api/v2.1/admin/tenants/${tenant.tenantId}/settings`, { body, headers: admin });
  for (const bad of [0, 3_601, 1.5, '60']) {
    const res = await put({ kycFirstPollAfterSeconds: bad });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'VALIDATION_ERROR', details: [{ field: 'kycFirstPollAfterSeconds' }] });
  }
  expect((await put({ kycFirstPollAfterSeconds: 3_600 })).body).toMatchObject({ kycFirstPollAfterSeconds: 3_600 });
});

it('puts the onboarding in manual review when an operator ends its KYC child, and staff decide on the onboarding itself', async () => {
  const tenant = await tenantWithSettings(h, {});
  const customer = await readyForKyc(h, tenant, { lastName: 'Review' });
  expect((await tenant.call('POST', `${customer.path}/verification`)).status).toBe(202);
  const inReview = await waitForStatus(tenant, customer.path, 'MANUAL_REVIEW');
  const child = h.temporal.workflow.getHandle(identityVerificationWorkflowId(tenant.tenantId, customer.customerId, customer.customerId));
  await child.terminate('operator ended the check');
  // The onboarding has taken the child's end in a workflow task before staff decide.
  const parent = h.temporal.workflow.getHandle(onboardingWorkflowId(tenant.tenantId, customer.customerId));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const events = (await parent.fetchHistory()).events ?? [];
    const ended = events.findIndex((event) => event.childWorkflowExecutionTerminatedEventAttributes);
    if (ended >= 0 && events.some((event, index) => index > ended && event.workflowTaskCompletedEventAttributes)) break;
    if (Date.now() > deadline) throw new Error('the onboarding never saw its child end');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect((await tenant.call('GET', `${customer.path}/onboarding`)).body).toMatchObject({ status: 'MANUAL_REVIEW', kyc: inReview.kyc });

  const decided = await http(h.api.url, 'POST', `/api/v2.1/admin/customers/${customer.customerId}/kyc-decision`, {
    body: { decision: 'APPROVE', reason: 'Checked by hand after the check was ended' },
    headers: await staffHeaders(h, 'COMPLIANCE_OFFICER'),
  });
  expect(decided.status).toBe(200);
  expect(decided.body).toMatchObject({ status: 'KYC_APPROVED', due: ['ACTIVATION'] });
  expect(await h.db('kyc_verifications').where({ id: inReview.kyc.verificationId }).first()).toMatchObject({ status: 'APPROVED', reviewer: (await staffActorLabel(h)) });
});
