/**
 * Each KYB sandbox outcome, by business name, as the organization's onboarding ends it: approved → APPROVED;
 * `Reject` and a registry `Mismatch` → MANUAL_REVIEW with a KYB requirement error; `Review` → the KYB child's own
 * manual review, decided by staff, → APPROVED; `Silent` → polling, then the KYB child's manual review (short
 * timeouts from the tenant's settings). The only person to verify is the representative, whom KYC approves.
 */
import { kybWorkflowId } from '../../common/kyb-contract';
import { startHarness, type Harness } from '../support/harness';
import { expectStatus, kybDecision, readyForKyb, waitForOrganization } from '../support/organization-journey';
import { tenantWithSettings } from '../support/journey';
import type { TenantSession } from '../support/tenant-client';
import { staffActorLabel } from '../support/staff-actor';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('org_journey_kyb');
  // A silent vendor is polled after a second and given up on after three.
  tenant = await tenantWithSettings(h, { kycFirstPollAfterSeconds: 1, kycResultTimeoutSeconds: 3 });
});
afterAll(() => h?.close());

const unique = () => Date.now().toString(36);

async function kybStarted(businessName: string) {
  const org = await readyForKyb(h, tenant, { businessName: `${businessName} ${unique()}` });
  await expectStatus(tenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`), 202);
  return org;
}

const kybChild = (organizationId: string) => h.temporal.workflow.getHandle(kybWorkflowId(tenant.tenantId, organizationId));

describe('organization journey: KYB outcomes', () => {
  it('approves the organization when the vendor approves the company', async () => {
    const org = await kybStarted('Approve Trading');
    expect(await waitForOrganization(tenant, org, 'APPROVED')).toMatchObject({ kybStatus: 'APPROVED', requirements: { errors: [] } });
    expect(await kybChild(org.id).result()).toMatchObject({ status: 'APPROVED' });
  });

  it('sends a company the vendor rejects to MANUAL_REVIEW with a KYB error that quotes no finding', async () => {
    const org = await kybStarted('Reject Trading');
    const review = await waitForOrganization(tenant, org, 'MANUAL_REVIEW');
    expect(review).toMatchObject({ kybStatus: 'MANUAL_REVIEW', requirements: { errors: [{ requirement: 'KYB', reason: 'The business verification did not pass' }] } });
    expect(JSON.stringify(review)).not.toContain('BUSINESS_NOT_VERIFIED');
  });

  it('sends a registry mismatch to MANUAL_REVIEW with the KYB requirement error the registry comparison gave', async () => {
    const org = await kybStarted('Mismatch Trading');
    const review = await waitForOrganization(tenant, org, 'MANUAL_REVIEW');
    expect(review.requirements.errors).toEqual([{ requirement: 'KYB', reason: 'The business name does not match the name in the company registry' }]);
    expect(await kybChild(org.id).result()).toMatchObject({ status: 'REJECTED', errors: review.requirements.errors });
  });

  it('shows the KYB child in its own manual review as pending, and staff deciding it approves the organization', async () => {
    const org = await kybStarted('Review Trading');
    await waitForKybStatus(org.id, 'MANUAL_REVIEW');
    const during = await expectStatus(tenant.call('GET', `${org.path}/onboarding`), 200);
    expect(during).toMatchObject({ status: 'ONBOARDING', kybStatus: 'IN_PROGRESS', requirements: { pendingVerification: ['KYB'] } });
    expect((await kybDecision(h, org, 'APPROVE')).status).toBe(200);
    expect(await waitForOrganization(tenant, org, 'APPROVED')).toMatchObject({ kybStatus: 'APPROVED' });
    expect(await kybChild(org.id).result()).toMatchObject({ status: 'APPROVED', decision: { decision: 'APPROVE', reviewer: (await staffActorLabel(h)) } });
  });

  it('polls a silent vendor, then hands the KYB check to staff within the tenant timeout', async () => {
    const org = await kybStarted('Silent Trading');
    await waitForKybStatus(org.id, 'MANUAL_REVIEW', 15_000);
    expect((await kybChild(org.id).query('kybSnapshot')) as { reason: string }).toMatchObject({ reason: expect.stringContaining('No result from the KYB provider in time') });
    expect((await tenant.call('GET', `${org.path}/onboarding`)).body).toMatchObject({ status: 'ONBOARDING', requirements: { pendingVerification: ['KYB'] } });
    expect((await kybDecision(h, org, 'REJECT', 'No answer, company unknown to us')).status).toBe(200);
    const review = await waitForOrganization(tenant, org, 'MANUAL_REVIEW');
    expect(review.requirements.errors).toEqual([{ requirement: 'KYB', reason: 'The business verification did not pass' }]);
  });
});

/** The KYB child's own status, as its snapshot query answers it. */
async function waitForKybStatus(organizationId: string, status: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snapshot = (await kybChild(organizationId).query('kybSnapshot').catch(() => undefined)) as { status?: string } | undefined;
    if (snapshot?.status === status) return;
    if (Date.now() > deadline) throw new Error(`KYB child never reached ${status}: ${JSON.stringify(snapshot)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
