/**
 * Records fresh histories of each onboarding path into test/histories/ (`npm run record-histories`).
 * Runs under jest so it gets the same real infrastructure as the tests; it is not part of `npm test`.
 * Each path is driven over HTTP as a tenant's app would drive it, and saved as `<VERSION>-<scenario>.json` once
 * its workflow has completed. Older versions' files cannot be recorded again and must be kept: they prove that
 * executions started back then still replay. `v1-*`: before the individual-full-lifecycle patch; `v2-*`: before
 * the step engine and the due-requirement-search-attribute patch; `v3-*`: on the step engine, KYC inline; `v4-*`: KYC
 * in the identity-verification child (individual-kyc-child), whose own history is saved beside as `-kyc-child`;
 * `v5-*` (the KYC scenarios): that child prepared by the onboarding (`prepared`: no second row open or details lookup);
 * `v6-*`: customer.requirements_changed recorded by the step engine (requirement-webhook-events); `v7-*`: every patch
 * folded into one marker (onboarding-patches-2026-11, workflows/engine/patches.ts).
 * When a workflow change adds commands (behind a new patch), bump VERSION and record every scenario again.
 * Organizations are saved as `<ORGANIZATION_VERSION>-<scenario>.json` (`org-*`: before requirement-webhook-events,
 * `org-v2-*`: after, `org-v3-*`: the folded patch marker); `-t organization` records only those.
 */
import { INDIVIDUAL_ONBOARDING_WORKFLOW, onboardingWorkflowId, registerUpdate } from '../../common/onboarding-contract';
import type { RunningKycSandbox } from '../../devstack/kyc-sandbox';
import { DEFAULT_POLICY } from '../../common/onboarding-policy';
import type { individualOnboarding } from '../../workflows/individual-onboarding';
import { startHarness, type Harness } from '../support/harness';
import { restartKycVendor, submittedCheck } from '../support/kyc-vendor';
import { CONSENTS, PROFILE, codeIn, readyForKyc, register, tenantWithSettings, verifyEmail, waitForStatus } from '../support/journey';
import { http, registration, type TenantSession } from '../support/tenant-client';
import { organizationRegistration } from '../support/organizations';
import { readyForKyb, waitForOrganization } from '../support/organization-journey';
import { WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import { identityVerificationWorkflowId } from '../../common/identity-contract';
import { ORGANIZATION_ONBOARDING_WORKFLOW, registerOrganizationUpdate } from '../../common/organization-contract';
import { DEAD_DOMAIN, deadAddress, refusingMailer } from '../support/refusing-mailer';
import { staffHeaders } from '../support/staff';
import { FIXTURE_SECRETS, saveHistory } from './histories';

let h: Harness;
/** The KYC vendor answering on the harness's sandbox port (replaced when a scenario restarts it). */
let vendor: RunningKycSandbox;

beforeAll(async () => {
  // Verification codes to DEAD_DOMAIN are refused (the code-never-sent scenario); everything else goes to MailDev.
  const refuses = ({ to, subject }: { to: string; subject: string }) => to.endsWith(`@${DEAD_DOMAIN}`) && subject === 'Your verification code';
  h = await startHarness('record', { secrets: FIXTURE_SECRETS, activityDeps: { mailer: refusingMailer(refuses) } });
  vendor = h.kycSandbox;
});
afterAll(async () => {
  await vendor?.stop();
  await h?.close();
});

const REGISTER = '/api/v2.1/customer/individual/registration';
/** The workflow version these recordings are made from (see the header). */
const VERSION = 'v7';
/** The same for organizations (their first recordings are the unversioned `org-*`). */
const ORGANIZATION_VERSION = 'org-v3';

async function staffDecision(customerId: string, decision: { decision: 'APPROVE' | 'REJECT'; reason: string }) {
  const response = await fetch(`${h.api.url}/api/v2.1/admin/customers/${customerId}/kyc-decision`, {
    method: 'POST',
    headers: { ...(await staffHeaders(h, 'COMPLIANCE_OFFICER')), 'content-type': 'application/json' },
    body: JSON.stringify(decision),
  });
  if (response.status !== 200) throw new Error(`kyc-decision: ${response.status} ${await response.text()}`);
}

/** Waits for the onboarding to end, checks how it ended, and saves its history as `<VERSION>-<scenario>`. */
async function record(scenario: string, tenant: TenantSession, customerId: string, expectedStatus: string) {
  const handle = h.temporal.workflow.getHandle(onboardingWorkflowId(tenant.tenantId, customerId));
  expect(await handle.result()).toMatchObject({ customerId, status: expectedStatus });
  saveHistory(`${VERSION}-${scenario}`, await handle.fetchHistory());
  const child = h.temporal.workflow.getHandle(identityVerificationWorkflowId(tenant.tenantId, customerId, customerId));
  const ranKyc = await child.describe().then(
    () => true,
    (error: unknown) => (error instanceof WorkflowNotFoundError ? false : Promise.reject(error)),
  );
  if (ranKyc) saveHistory(`${VERSION}-${scenario}-kyc-child`, await child.fetchHistory());
}

async function ok(pending: Promise<{ status: number; body: any }>, status: number) {
  const res = await pending;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

it('records the full happy path to ACTIVE: e-mail and phone codes, profile, consents, KYC, activation', async () => {
  const tenant = await tenantWithSettings(h, {});
  const phone = '+14155552671';
  const customer = await register(tenant, { phone });
  await ok(verifyEmail(h, tenant, customer), 200);
  await ok(tenant.call('POST', `${customer.path}/verify-phone/send`), 202);
  const sms = await ok(tenant.call('GET', `/api/v2.1/sandbox/sms?phone=${encodeURIComponent(phone)}`), 200);
  await ok(tenant.call('POST', `${customer.path}/verify-phone`, { code: codeIn(sms.data[0].body) }), 200);
  await ok(tenant.call('PUT', `/v2/profile/${customer.customerId}`, PROFILE), 200);
  for (const type of CONSENTS) await ok(tenant.call('POST', `${customer.path}/consents/${type}`, { accepted: true, version: '2026-01' }), 201);
  await ok(tenant.call('POST', `${customer.path}/verification`), 202);
  await waitForStatus(tenant, customer.path, 'KYC_APPROVED');
  await ok(tenant.call('POST', `${customer.path}/activation`), 200);
  await record('full-lifecycle-active', tenant, customer.customerId, 'ACTIVE');
});

it('records a KYC rejection by the provider', async () => {
  const tenant = await tenantWithSettings(h, {});
  const customer = await readyForKyc(h, tenant, { lastName: 'Reject' });
  await ok(tenant.call('POST', `${customer.path}/verification`), 202);
  await record('kyc-rejected', tenant, customer.customerId, 'REJECTED');
});

it('records a manual review approved by staff, then activation', async () => {
  const tenant = await tenantWithSettings(h, {});
  const customer = await readyForKyc(h, tenant, { lastName: 'Review' });
  await ok(tenant.call('POST', `${customer.path}/verification`), 202);
  await waitForStatus(tenant, customer.path, 'MANUAL_REVIEW');
  await staffDecision(customer.customerId, { decision: 'APPROVE', reason: 'Documents checked by hand' });
  await ok(tenant.call('POST', `${customer.path}/activation`), 200);
  await record('manual-review-approved', tenant, customer.customerId, 'ACTIVE');
});

it('records a KYC whose polls fail (the vendor lost the check): manual review with the reason, then rejected by staff', async () => {
  const tenant = await tenantWithSettings(h, { kycFirstPollAfterSeconds: 1, kycResultTimeoutSeconds: 3 });
  const customer = await readyForKyc(h, tenant, { lastName: 'Silent' });
  await ok(tenant.call('POST', `${customer.path}/verification`), 202);
  await submittedCheck(h, customer.customerId);
  vendor = await restartKycVendor(h, vendor); // knows no check: every poll answers 404
  await waitForStatus(tenant, customer.path, 'MANUAL_REVIEW');
  await staffDecision(customer.customerId, { decision: 'REJECT', reason: 'Identity could not be confirmed' });
  await record('kyc-poll-failed-manual-review', tenant, customer.customerId, 'REJECTED');
});

it('records a registration that gets reminders and then expires', async () => {
  const tenant = await tenantWithSettings(h, { reminderAfterSeconds: 1, expireAfterSeconds: 3 });
  const customer = await register(tenant);
  await record('registered-then-expired', tenant, customer.customerId, 'EXPIRED');
});

it('records a registration whose codes can never be sent: a resend answers 503, the onboarding expires on time', async () => {
  const tenant = await tenantWithSettings(h, { reminderAfterSeconds: 1, expireAfterSeconds: 8, resendCooldownSeconds: 1 });
  const customer = await register(tenant, { email: deadAddress() });
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  await ok(tenant.call('POST', `${customer.path}/verify-email/resend`), 503);
  await record('code-never-sent-then-expired', tenant, customer.customerId, 'EXPIRED');
});

it('records a run that continued as new after its history grew long, and the run that then expired', async () => {
  // The API cannot lower the history threshold, so this one starts the workflow as the registration service does.
  const tenant = await tenantWithSettings(h, {});
  const customerId = `cust_${Date.now().toString(16).padStart(24, '0')}`;
  const policy = { ...DEFAULT_POLICY, reminderAfter: 1000, expireAfter: 4000 };
  const handle = await h.temporal.workflow.start<typeof individualOnboarding>(INDIVIDUAL_ONBOARDING_WORKFLOW, {
    workflowId: onboardingWorkflowId(tenant.tenantId, customerId),
    taskQueue: h.config.TEMPORAL_TASK_QUEUE,
    args: [{ tenantId: tenant.tenantId, customerId, policy, continueAsNewAfterEvents: 30 }],
  });
  const { firstName, lastName, email } = registration();
  await handle.executeUpdate(registerUpdate, { args: [{ firstName, lastName, email, marketingConsent: false }] });
  await record('continued-as-new-then-expired', tenant, customerId, 'EXPIRED');
  saveHistory(`${VERSION}-continued-as-new-first-run`, await h.temporal.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).fetchHistory());
});

it('records a registration the database refuses because the e-mail is taken', async () => {
  // The API's cheap duplicate check stops a later duplicate before Temporal; only a race reaches the workflow,
  // where the unique index refuses the loser. Retry in the unlikely case the check caught the loser.
  for (let attempt = 1; ; attempt += 1) {
    const tenant = await tenantWithSettings(h, {});
    const request = registration();
    const results = await Promise.all([
      tenant.call('POST', REGISTER, request),
      tenant.call('POST', REGISTER, { ...request, email: request.email.toUpperCase() }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 400]);
    const winner = onboardingWorkflowId(tenant.tenantId, results.find((r) => r.status === 201)!.body.customerId);
    const loser = await otherWorkflowOf(tenant.tenantId, winner);
    if (loser) {
      const customerId = loser.slice(loser.lastIndexOf('/') + 1);
      expect(onboardingWorkflowId(tenant.tenantId, customerId)).toBe(loser);
      await record('duplicate-email-refused', tenant, customerId, 'REGISTRATION_FAILED');
      return;
    }
    if (attempt === 5) throw new Error('no registration reached the workflow and lost there in 5 races');
  }
});

/** The tenant's onboarding workflow that is not `known`, from visibility (which lags a little). */
async function otherWorkflowOf(tenantId: string, known: string): Promise<string | undefined> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const ids: string[] = [];
    for await (const execution of h.temporal.workflow.list({ query: `TenantId = "${tenantId}"` })) ids.push(execution.workflowId);
    const other = ids.find((id) => id !== known);
    if (other || Date.now() > deadline) return other;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('organization histories', () => {
  async function recordOrganization(scenario: string, tenant: TenantSession, organizationId: string, expectedStatus: string) {
    const handle = h.temporal.workflow.getHandle(onboardingWorkflowId(tenant.tenantId, organizationId));
    expect(await handle.result()).toMatchObject({ organizationId, status: expectedStatus });
    saveHistory(`${ORGANIZATION_VERSION}-${scenario}`, await handle.fetchHistory());
  }

  async function registeredOrganization(tenant: TenantSession) {
    const body = organizationRegistration();
    const created = await ok(tenant.call('POST', '/api/v2.1/customer/organization/registration', body), 201);
    return { id: created.organizationId as string, path: `/api/v2.1/customer/${created.organizationId}`, email: body.representative.email as string, body };
  }

  /** Ready for KYB (see test/support/organization-journey.ts), started, and checked until `status`. */
  async function verifiedOrganization(tenant: TenantSession, status: 'APPROVED' | 'MANUAL_REVIEW', overrides: Record<string, unknown> = {}) {
    const org = await readyForKyb(h, tenant, overrides);
    await ok(tenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`), 202);
    await waitForOrganization(tenant, org, status);
    return org;
  }

  const decide = async (org: { id: string }, decision: 'APPROVE' | 'REJECT') =>
    ok(http(h.api.url, 'POST', `/api/v2.1/admin/organizations/${org.id}/review-decision`, {
      body: { decision, reason: 'Recorded fixture decision' },
      headers: await staffHeaders(h, 'COMPLIANCE_OFFICER'),
    }), 200);

  it('records an organization from registration to ACTIVE: code, consents, people, document, KYB and identity checks, activation', async () => {
    const tenant = await tenantWithSettings(h, {});
    const org = await verifiedOrganization(tenant, 'APPROVED');
    await ok(tenant.call('POST', `${org.path}/activation`), 200);
    await recordOrganization('full-lifecycle-active', tenant, org.id, 'ACTIVE');
  });

  it('records an organization whose director is rejected, approved by staff, then activated', async () => {
    const tenant = await tenantWithSettings(h, {});
    const representative = { firstName: 'Rita', lastName: 'Reject', email: `rita.${Date.now()}@example.com` };
    const org = await verifiedOrganization(tenant, 'MANUAL_REVIEW', { representative });
    await decide(org, 'APPROVE');
    await ok(tenant.call('POST', `${org.path}/activation`), 200);
    await recordOrganization('person-rejected-review-approved', tenant, org.id, 'ACTIVE');
  });

  it('records an organization whose KYB is rejected, then rejected by staff', async () => {
    const tenant = await tenantWithSettings(h, {});
    const org = await verifiedOrganization(tenant, 'MANUAL_REVIEW', { businessName: `Reject Trading ${Date.now()}` });
    await decide(org, 'REJECT');
    await recordOrganization('kyb-rejected', tenant, org.id, 'REJECTED');
  });

  it('records an organization that gets reminders and then expires', async () => {
    const tenant = await tenantWithSettings(h, { reminderAfterSeconds: 1, expireAfterSeconds: 3 });
    const org = await registeredOrganization(tenant);
    await recordOrganization('registered-then-expired', tenant, org.id, 'EXPIRED');
  });

  it('records a registration the database refuses because the registration number is taken', async () => {
    const tenant = await tenantWithSettings(h, {});
    const first = await registeredOrganization(tenant);
    // What the losing request of a race does: it passed the API's early check and reaches the workflow.
    const organizationId = `org_${'0'.repeat(23)}1`;
    const start = new WithStartWorkflowOperation(ORGANIZATION_ONBOARDING_WORKFLOW, {
      workflowId: onboardingWorkflowId(tenant.tenantId, organizationId),
      taskQueue: h.config.TEMPORAL_TASK_QUEUE,
      args: [{ tenantId: tenant.tenantId, customerId: organizationId, policy: DEFAULT_POLICY }],
      workflowIdConflictPolicy: 'FAIL',
    });
    const { captcha: _captcha, representative, ...organization } = first.body;
    await expect(
      h.temporal.workflow.executeUpdateWithStart(registerOrganizationUpdate, {
        args: [{ organization: organization as never, representative }],
        startWorkflowOperation: start,
      }),
    ).rejects.toThrow();
    await recordOrganization('duplicate-refused', tenant, organizationId, 'REGISTRATION_FAILED');
  });
});
