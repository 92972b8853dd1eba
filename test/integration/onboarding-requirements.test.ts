/**
 * GET /onboarding's lifecycle status and requirements as a tenant reads them at each step of an individual's
 * onboarding, and the DueRequirement search attribute staff filter on in the Temporal UI (the first requirement
 * currently due; absent while the provider or staff hold the case).
 */
import { onboardingWorkflowId } from '../../common/onboarding-contract';
import { DueRequirementKey } from '../../common/search-attributes';
import { staffHeaders } from '../support/staff';
import { startHarness, type Harness } from '../support/harness';
import { CONSENTS, PROFILE, readyForKyc, register, tenantWithSettings, verifyEmail, waitForStatus } from '../support/journey';
import { http, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('requirements');
  // Silent customers stay in KYC_IN_PROGRESS: the provider never decides and the result timeout is far away.
  tenant = await tenantWithSettings(h, { kycResultTimeoutSeconds: 3600 });
});
afterAll(() => h?.close());

const CONSENTS_DUE = CONSENTS.map((type) => `CONSENT:${type}`);
const nothing = { currentlyDue: [], pendingVerification: [], errors: [] };

async function onboarding(path: string) {
  const res = await tenant.call('GET', `${path}/onboarding`);
  expect(res.status).toBe(200);
  return res.body;
}

/** The DueRequirement search attribute, once it shows `expected` (the upsert lands with the workflow task). */
async function dueRequirementBecomes(customerId: string, expected: string | undefined) {
  const handle = h.temporal.workflow.getHandle(onboardingWorkflowId(tenant.tenantId, customerId));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const shown = (await handle.describe()).typedSearchAttributes.get(DueRequirementKey);
    if (shown === expected || Date.now() > deadline) return shown;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const consent = (path: string, type: string) => tenant.call('POST', `${path}/consents/${type}`, { accepted: true, version: '2026-01' });

it('walks the requirements step by step: what is due now, in order, mirrored in DueRequirement', async () => {
  const customer = await register(tenant, { phone: '+14155552671' });
  expect(await onboarding(customer.path)).toMatchObject({
    status: 'PENDING_EMAIL_VERIFICATION',
    due: ['EMAIL_VERIFICATION', ...CONSENTS_DUE],
    lifecycleStatus: 'ONBOARDING',
    requirements: { currentlyDue: ['EMAIL_VERIFICATION', ...CONSENTS_DUE], pendingVerification: [], errors: [] },
  });
  expect(await dueRequirementBecomes(customer.customerId, 'EMAIL_VERIFICATION')).toBe('EMAIL_VERIFICATION');

  expect((await verifyEmail(h, tenant, customer)).status).toBe(200);
  expect((await onboarding(customer.path)).requirements.currentlyDue).toEqual(['PHONE_VERIFICATION', ...CONSENTS_DUE]);
  expect(await dueRequirementBecomes(customer.customerId, 'PHONE_VERIFICATION')).toBe('PHONE_VERIFICATION');
});

it('moves DueRequirement on a consent that changes what is due without a status change', async () => {
  const customer = await register(tenant);
  expect((await verifyEmail(h, tenant, customer)).status).toBe(200);
  expect((await tenant.call('PUT', `/v2/profile/${customer.customerId}`, PROFILE)).status).toBe(200);
  expect(await onboarding(customer.path)).toMatchObject({ status: 'PENDING_CONSENTS', requirements: { currentlyDue: CONSENTS_DUE } });
  expect(await dueRequirementBecomes(customer.customerId, CONSENTS_DUE[0])).toBe(CONSENTS_DUE[0]);

  expect((await consent(customer.path, CONSENTS[0])).status).toBe(201);
  expect(await onboarding(customer.path)).toMatchObject({ status: 'PENDING_CONSENTS', requirements: { currentlyDue: CONSENTS_DUE.slice(1) } });
  expect(await dueRequirementBecomes(customer.customerId, CONSENTS_DUE[1])).toBe(CONSENTS_DUE[1]);

  for (const type of CONSENTS.slice(1)) expect((await consent(customer.path, type)).status).toBe(201);
  expect(await onboarding(customer.path)).toMatchObject({ status: 'PENDING_KYC', due: ['KYC'], requirements: { ...nothing, currentlyDue: ['KYC'] } });
  expect(await dueRequirementBecomes(customer.customerId, 'KYC')).toBe('KYC');
});

it('while the provider checks: KYC_RESULT pending verification, nothing currently due, no DueRequirement', async () => {
  const customer = await readyForKyc(h, tenant, { lastName: 'Silent' });
  expect((await tenant.call('POST', `${customer.path}/verification`)).status).toBe(202);
  expect(await onboarding(customer.path)).toMatchObject({
    status: 'KYC_IN_PROGRESS',
    due: ['KYC_RESULT'],
    lifecycleStatus: 'ONBOARDING',
    requirements: { currentlyDue: [], pendingVerification: ['KYC_RESULT'], errors: [] },
  });
  expect(await dueRequirementBecomes(customer.customerId, undefined)).toBeUndefined();
});

it('in manual review: MANUAL_REVIEW pending with staff; approved, ACTIVATION is due; activated, ACTIVE with nothing left', async () => {
  const customer = await readyForKyc(h, tenant, { lastName: 'Review' });
  expect((await tenant.call('POST', `${customer.path}/verification`)).status).toBe(202);
  await waitForStatus(tenant, customer.path, 'MANUAL_REVIEW');
  expect(await onboarding(customer.path)).toMatchObject({
    lifecycleStatus: 'ONBOARDING',
    requirements: { currentlyDue: [], pendingVerification: ['MANUAL_REVIEW'], errors: [] },
  });

  const decision = { decision: 'APPROVE', reason: 'Documents checked by hand' };
  const decided = await http(h.api.url, 'POST', `/api/v2.1/admin/customers/${customer.customerId}/kyc-decision`, {
    body: decision,
    headers: await staffHeaders(h, 'COMPLIANCE_OFFICER'),
  });
  expect(decided.status).toBe(200);
  expect(await onboarding(customer.path)).toMatchObject({ status: 'KYC_APPROVED', requirements: { ...nothing, currentlyDue: ['ACTIVATION'] } });
  expect(await dueRequirementBecomes(customer.customerId, 'ACTIVATION')).toBe('ACTIVATION');

  expect((await tenant.call('POST', `${customer.path}/activation`)).status).toBe(200);
  expect(await onboarding(customer.path)).toMatchObject({ status: 'ACTIVE', due: [], lifecycleStatus: 'ACTIVE', requirements: nothing });
  expect(await dueRequirementBecomes(customer.customerId, undefined)).toBeUndefined();

  // Staff suspend the customer after onboarding: the lifecycle status follows the customer, not the ended flow.
  expect((await tenant.call('PUT', `/v2/persons/${customer.customerId}/SUSPENDED`)).status).toBe(200);
  expect(await onboarding(customer.path)).toMatchObject({ lifecycleStatus: 'SUSPENDED', requirements: nothing });
});

it('rejected by the provider: lifecycle REJECTED, a KYC error whose reason does not quote the provider', async () => {
  const customer = await readyForKyc(h, tenant, { lastName: 'Reject' });
  expect((await tenant.call('POST', `${customer.path}/verification`)).status).toBe(202);
  await waitForStatus(tenant, customer.path, 'REJECTED');
  const body = await onboarding(customer.path);
  expect(body).toMatchObject({
    status: 'REJECTED',
    due: [],
    lifecycleStatus: 'REJECTED',
    requirements: { currentlyDue: [], pendingVerification: [], errors: [{ requirement: 'KYC', reason: 'The identity check did not pass' }] },
  });
  const stored = await h.db('kyc_verifications').where({ customer_id: customer.customerId }).first();
  expect(stored.reason).toEqual(expect.any(String));
  expect(JSON.stringify(body)).not.toContain(stored.reason);
});

it('expired: lifecycle EXPIRED, nothing due any more', async () => {
  const hurried = await tenantWithSettings(h, { reminderAfterSeconds: 1, expireAfterSeconds: 2 });
  const customer = await register(hurried);
  await waitForStatus(hurried, customer.path, 'EXPIRED');
  const res = await hurried.call('GET', `${customer.path}/onboarding`);
  expect(res.body).toMatchObject({ status: 'EXPIRED', due: [], lifecycleStatus: 'EXPIRED', requirements: nothing });
});

it('documents lifecycleStatus and requirements in the OpenAPI response of GET /onboarding', async () => {
  const doc = (await http(h.api.url, 'GET', '/openapi.json')).body;
  const [base, added] = doc.paths['/api/v2.1/customer/{customerId}/onboarding'].get.responses['200'].content['application/json'].schema.allOf;
  expect(base).toEqual({ $ref: '#/components/schemas/OnboardingState' });
  expect(added.required).toEqual(['lifecycleStatus', 'requirements', 'history']);
  expect(added.properties.lifecycleStatus.enum).toEqual(['ONBOARDING', 'ACTIVE', 'REJECTED', 'EXPIRED', 'SUSPENDED', 'BLOCKED', 'CLOSED']);
  expect(added.properties.requirements).toEqual({ $ref: '#/components/schemas/Requirements' });
  expect(doc.components.schemas.Requirements.required).toEqual(['currentlyDue', 'pendingVerification', 'errors']);
});
