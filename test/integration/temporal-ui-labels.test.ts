/**
 * What staff read in the Temporal UI: each onboarding workflow's summary and details (user metadata), its current
 * details (the workflow metadata query the UI calls), and the search attributes they filter on; ids, statuses and
 * the tenant's name, never the customer's name, e-mail or phone.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { createHmac } from 'node:crypto';
import { identityVerificationWorkflowId } from '../../common/identity-contract';
import { passwordResetWorkflowId } from '../../common/password-reset-contract';
import { codeHashKeyOf } from '../../common/secrets';
import { authCall } from '../support/customer-session';
import { onboardingWorkflowId } from '../../common/onboarding-contract';
import {
  CustomerIdKey,
  CustomerTypeKey,
  DueRequirementKey,
  KybStatusKey,
  KycStatusKey,
  OnboardingStatusKey,
  SubjectTypeKey,
  TenantIdKey,
} from '../../common/search-attributes';
import { startHarness, type Harness } from '../support/harness';
import { readyForKyc, register, waitForStatus } from '../support/journey';
import { registerOrganization } from '../support/organization-journey';
import { staffHeaders } from '../support/staff';
import { createTenant, http, type TenantSession } from '../support/tenant-client';

const TENANT_NAME = 'Lumen Savings Bank';
let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('ui_labels');
  tenant = await createTenant(h, TENANT_NAME);
});
afterAll(() => h?.close());

/** Everything the UI shows about one workflow, as text, with its search attributes. */
async function uiView(handle: WorkflowHandle) {
  const description = await handle.describe();
  const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  return {
    summary: await description.staticSummary(),
    details: await description.staticDetails(),
    current: metadata.currentDetails ?? '',
    attributes: description.typedSearchAttributes,
  };
}

/** Polls until `accept` holds: upserts and current details land with the workflow task after the API answered. */
async function viewWhen(handle: WorkflowHandle, accept: (view: Awaited<ReturnType<typeof uiView>>) => boolean) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const view = await uiView(handle);
    if (accept(view) || Date.now() > deadline) return view;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

function expectNoPersonalData(view: Awaited<ReturnType<typeof uiView>>, personal: string[]) {
  const shown = JSON.stringify([view.summary, view.details, view.current, view.attributes.getAll().map((pair) => pair.value)]);
  for (const value of personal) expect(shown).not.toContain(value);
}

it('an individual onboarding: summary, details and current step in the UI, and KycStatus among its search attributes', async () => {
  const customer = await register(tenant, { firstName: 'Zebulon', lastName: 'Quartermaine', phone: '+14155552671' });
  const handle = h.temporal.workflow.getHandle(onboardingWorkflowId(tenant.tenantId, customer.customerId));
  const view = await viewWhen(handle, (v) => v.current.includes('PENDING_EMAIL_VERIFICATION'));

  expect(view.summary).toBe(`Individual onboarding · ${TENANT_NAME}`);
  expect(view.details).toContain(`**Tenant:** ${TENANT_NAME} (${tenant.tenantId})`);
  expect(view.details).toContain(`**Subject:** INDIVIDUAL ${customer.customerId}`);
  expect(view.current).toContain('**Step:** PENDING_EMAIL_VERIFICATION (waiting on the customer)');
  expect(view.current).toMatch(/\*\*Due:\*\* EMAIL_VERIFICATION, CONSENT:TERMS_AND_CONDITIONS/);
  expect([TenantIdKey, CustomerIdKey, CustomerTypeKey, OnboardingStatusKey, KycStatusKey, DueRequirementKey].map((key) => view.attributes.get(key))).toEqual([
    tenant.tenantId,
    customer.customerId,
    'INDIVIDUAL',
    'PENDING_EMAIL_VERIFICATION',
    'NOT_STARTED',
    'EMAIL_VERIFICATION',
  ]);
  expectNoPersonalData(view, ['Zebulon', 'Quartermaine', customer.email, '4155552671']);
});

it('KYC in manual review: the onboarding shows KycStatus MANUAL_REVIEW, its KYC child is labelled; approved, KycStatus APPROVED', async () => {
  const customer = await readyForKyc(h, tenant, { firstName: 'Isolde', lastName: 'Review' });
  expect((await tenant.call('POST', `${customer.path}/verification`)).status).toBe(202);
  await waitForStatus(tenant, customer.path, 'MANUAL_REVIEW');
  const parent = h.temporal.workflow.getHandle(onboardingWorkflowId(tenant.tenantId, customer.customerId));
  const inReview = await viewWhen(parent, (v) => v.attributes.get(KycStatusKey) === 'MANUAL_REVIEW');
  expect(inReview.attributes.get(KycStatusKey)).toBe('MANUAL_REVIEW');
  expect(inReview.current).toContain('**Step:** MANUAL_REVIEW (waiting on the staff)');

  const child = h.temporal.workflow.getHandle(identityVerificationWorkflowId(tenant.tenantId, customer.customerId, customer.customerId));
  const childView = await viewWhen(child, (v) => v.current.includes('MANUAL_REVIEW'));
  expect(childView.summary).toBe(`KYC of INDIVIDUAL ${customer.customerId} · ${TENANT_NAME}`);
  expect(childView.details).toContain(`**Onboarding:** ${onboardingWorkflowId(tenant.tenantId, customer.customerId)}`);
  expect(childView.current).toContain('**Step:** MANUAL_REVIEW (waiting on the staff)');
  expect([childView.attributes.get(KycStatusKey), childView.attributes.get(SubjectTypeKey)]).toEqual(['MANUAL_REVIEW', 'INDIVIDUAL']);
  expectNoPersonalData(childView, ['Isolde', customer.email]);
  expectNoPersonalData(inReview, ['Isolde', customer.email]);

  const decided = await http(h.api.url, 'POST', `/api/v2.1/admin/customers/${customer.customerId}/kyc-decision`, {
    body: { decision: 'APPROVE', reason: 'Documents checked by hand' },
    headers: await staffHeaders(h, 'COMPLIANCE_OFFICER'),
  });
  expect(decided.status).toBe(200);
  const approved = await viewWhen(parent, (v) => v.attributes.get(KycStatusKey) === 'APPROVED');
  expect([approved.attributes.get(KycStatusKey), approved.attributes.get(DueRequirementKey)]).toEqual(['APPROVED', 'ACTIVATION']);
  expect(approved.current).toContain('**Step:** KYC_APPROVED (waiting on the tenant)');
  // The staff's free-text reason stays out of what the UI shows.
  expect(JSON.stringify(approved)).not.toContain('checked by hand');
});

it('an organization onboarding: summary and details, KybStatus and the step that is due', async () => {
  const org = await registerOrganization(tenant);
  const handle = h.temporal.workflow.getHandle(onboardingWorkflowId(tenant.tenantId, org.id));
  const view = await viewWhen(handle, (v) => v.current.includes('EMAIL_VERIFICATION'));
  expect(view.summary).toBe(`Organization onboarding · ${TENANT_NAME}`);
  expect(view.details).toContain(`**Subject:** ORGANIZATION ${org.id}`);
  expect(view.current).toContain('**Step:** EMAIL_VERIFICATION (waiting on the customer)');
  expect([view.attributes.get(CustomerTypeKey), view.attributes.get(OnboardingStatusKey), view.attributes.get(KybStatusKey)]).toEqual([
    'ORGANIZATION',
    'ONBOARDING',
    'NOT_STARTED',
  ]);
  expectNoPersonalData(view, [org.email, org.body.representative.firstName, org.body.representative.lastName]);
});

it('a password reset: summary and details name the tenant; the workflow waits on the customer for the code', async () => {
  const customer = await register(tenant, { firstName: 'Peregrine' });
  expect((await authCall(h, tenant.tenantId, '/password-reset', { email: customer.email })).status).toBeLessThan(300);
  const key = createHmac('sha256', codeHashKeyOf(h.secrets)).update(`password-reset:${customer.email.toLowerCase()}`).digest('base64url');
  const handle = h.temporal.workflow.getHandle(passwordResetWorkflowId(tenant.tenantId, key));
  const view = await viewWhen(handle, (v) => v.current.includes('CODE_SENT'));
  expect(view.summary).toBe(`Customer password reset · ${TENANT_NAME}`);
  expect(view.details).toContain(`**Tenant:** ${TENANT_NAME} (${tenant.tenantId})`);
  expect(view.current).toContain('**Step:** CODE_SENT (waiting on the customer)');
  expectNoPersonalData(view, ['Peregrine', customer.email, customer.customerId]);
});
