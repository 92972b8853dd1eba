/**
 * The persons around an organization, over HTTP: a director the KYC sandbox rejects sends the organization to
 * MANUAL_REVIEW (the error names the party, never the person or the provider's finding) until staff approve it;
 * a person whose details the tenant did not send is invited by e-mail, and the onboarding shows their check waiting.
 */
import { identityVerificationWorkflowId } from '../../common/identity-contract';
import { onboardingWorkflowId } from '../../common/onboarding-contract';
import { KybStatusKey, OnboardingStatusKey } from '../../common/search-attributes';
import { startHarness, type Harness } from '../support/harness';
import { emailsTo } from '../support/inbox';
import {
  expectStatus,
  fullPerson,
  readyForKyb,
  reviewDecision,
  waitForOnboarding,
  waitForOrganization,
} from '../support/organization-journey';
import { createTenant, http, type TenantSession } from '../support/tenant-client';
import { BODY_REVIEWER, staffActorLabel } from '../support/staff-actor';
import { staffHeaders } from '../support/staff';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('org_journey_persons');
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

const INVITATION = 'We need a few details to verify your identity';

describe('organization journey: persons', () => {
  it('sends the organization to MANUAL_REVIEW when a director is rejected, and staff approval finishes it to ACTIVE', async () => {
    const org = await readyForKyb(h, tenant);
    const rejected = await expectStatus(tenant.call('POST', `${org.path}/directors`, fullPerson('Dora', 'Reject')), 201);
    await expectStatus(tenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`), 202);

    const review = await waitForOrganization(tenant, org, 'MANUAL_REVIEW');
    expect(review).toMatchObject({
      kybStatus: 'MANUAL_REVIEW',
      lifecycleStatus: 'ONBOARDING',
      requirements: { currentlyDue: [], errors: [{ requirement: `PERSON:${rejected.partyId}`, reason: 'Identity check did not pass' }] },
    });
    expect(review.persons).toEqual([
      { partyId: org.representativeId, reasons: ['REPRESENTATIVE', 'DIRECTOR', 'UBO'], status: 'APPROVED' },
      { partyId: rejected.partyId, reasons: ['DIRECTOR'], status: 'REJECTED' },
    ]);
    // No personal data and no provider finding reach the tenant's view of the failure.
    expect(JSON.stringify(review)).not.toMatch(/Dora|IDENTITY_NOT_VERIFIED/);
    const child = h.temporal.workflow.getHandle(identityVerificationWorkflowId(tenant.tenantId, org.id, rejected.partyId));
    expect(await child.result()).toMatchObject({ status: 'REJECTED', role: 'DIRECTOR' });
    expect((await tenant.call('POST', `${org.path}/activation`)).status).toBe(409);

    // The body cannot name who decided: a reviewer field is a 400 naming it, and the organization stays in review.
    const named = await http(h.api.url, 'POST', `/api/v2.1/admin/organizations/${org.id}/review-decision`, {
      body: { decision: 'APPROVE', reason: 'Passport re-checked by phone', ...BODY_REVIEWER },
      headers: await staffHeaders(h, 'COMPLIANCE_OFFICER'),
    });
    expect(named.status).toBe(400);
    expect(named.body.details).toEqual([{ field: 'reviewer', message: 'Unknown field' }]);
    expect((await tenant.call('GET', `${org.path}/onboarding`)).body.status).toBe('MANUAL_REVIEW');
    const approved = await reviewDecision(h, org, 'APPROVE', 'Passport re-checked by phone');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'APPROVED', kybStatus: 'APPROVED', requirements: { currentlyDue: ['ACTIVATION'], errors: [] } });
    expect((await reviewDecision(h, org, 'APPROVE')).status).toBe(409);
    await expectStatus(tenant.call('POST', `${org.path}/activation`), 200);

    const parent = h.temporal.workflow.getHandle(onboardingWorkflowId(tenant.tenantId, org.id));
    expect(await parent.result()).toEqual({ organizationId: org.id, status: 'ACTIVE' });
    const attributes = (await parent.describe()).typedSearchAttributes;
    expect([attributes.get(OnboardingStatusKey), attributes.get(KybStatusKey)]).toEqual(['ACTIVE', 'APPROVED']);
    // Who decided, when and why: the history row staff read (the tenant's GET shows statuses only).
    const history = await h.db('customer_status_history').where({ tenant_id: tenant.tenantId, customer_id: org.id }).orderBy('id').select('status', 'reason', 'created_at');
    expect(history.map((row) => [row.status, row.reason])).toEqual([
      ['ONBOARDING', 'Registered'],
      ['MANUAL_REVIEW', `Checks did not pass: PERSON:${rejected.partyId}`],
      ['APPROVED', `Approved by ${(await staffActorLabel(h))}: Passport re-checked by phone`],
      ['ACTIVE', 'Activated'],
    ]);
    expect(history[2].created_at).toBeInstanceOf(Date);
  });

  it('invites a UBO whose details the tenant did not send, and shows their check waiting for them', async () => {
    const org = await readyForKyb(h, tenant);
    // The representative's holding goes to a person the tenant knows by name and e-mail only (no date of birth).
    await expectStatus(tenant.call('DELETE', `${org.path}/shareholders/${org.representativeId}`), 204);
    const email = `ulla.${Date.now()}@example.com`;
    const owner = await expectStatus(tenant.call('POST', `${org.path}/shareholders`, { kind: 'PERSON', firstName: 'Ulla', lastName: 'Example', email, ownershipPercent: 100 }), 201);
    await expectStatus(tenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`), 202);

    const waiting = await waitForOnboarding(tenant, org, (body) => body.persons?.some((p: { partyId: string; status: string }) => p.partyId === owner.partyId && p.status === 'AWAITING_DETAILS'));
    expect(waiting).toMatchObject({ status: 'ONBOARDING', kybStatus: 'IN_PROGRESS' });
    // Their details are what the tenant must send now: due, not being checked.
    expect(waiting.requirements.currentlyDue).toContain(`PERSON:${owner.partyId}:DETAILS`);
    expect(waiting.requirements.pendingVerification).not.toContain(`PERSON:${owner.partyId}`);
    const deadline = Date.now() + 15_000;
    let subjects: string[] = [];
    while (!subjects.includes(INVITATION) && Date.now() < deadline) {
      subjects = (await emailsTo(h.infra.inboxUrl, email)).map((e) => e.subject);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(subjects).toContain(INVITATION);
  });
});
