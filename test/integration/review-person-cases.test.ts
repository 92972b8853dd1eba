/**
 * PERSON cases on the real stack: an organization's director whose own identity check the KYC sandbox sends to
 * MANUAL_REVIEW holds the organization up. The case is in the review queue with the provider's reason and a label
 * naming the organization and the role (never the person); its page decodes the person for compliance and masks
 * them for an operator; it is claimed like any case; the tenant's four-eyes rules hold its decisions (a rejection
 * 202, then a second officer's confirmation; every decision under `organizations`); a direct approval lets the
 * organization finish onboarding; a decided case leaves the queue. The same route deciding an individual's own
 * check is gated as that individual's case.
 */
import { identityVerificationWorkflowId } from '../../common/identity-contract';
import { caseViewSchema } from '../../api/review/schemas';
import { startHarness, type Harness } from '../support/harness';
import { tenantWithSettings } from '../support/journey';
import { waitForOrganization } from '../support/organization-journey';
import { caseClient, expectOrdered, fieldsOf } from '../support/review-case';
import { individualInManualReview, KYC_REVIEW_REASON, personCheckRow, personInManualReview } from '../support/review-cases';
import { newStaffSession, type StaffSession } from '../support/staff';
import { createTenant, type HttpResult, type TenantSession } from '../support/tenant-client';

let h: Harness;
let plain: TenantSession;
let a: StaffSession;
let b: StaffSession;

beforeAll(async () => {
  h = await startHarness('review_person');
  plain = await createTenant(h, 'Plain Bank');
  [a, b] = await Promise.all([1, 2].map(() => newStaffSession(h, ['COMPLIANCE_OFFICER'])));
});
afterAll(() => h?.close());

const { caseOf } = caseClient(() => h);
const label = (officer: StaffSession) => `staff:${officer.staffId}`;
const decisionPath = (verificationId: string) => `/api/v2.1/admin/verifications/${verificationId}/decision`;
const decide = (officer: StaffSession, verificationId: string, decision: 'APPROVE' | 'REJECT', reason: string) =>
  officer.call('POST', decisionPath(verificationId), { decision, reason });
const claimPath = (caseType: string, subjectId: string) => `/api/v2.1/admin/cases/${caseType}/${subjectId}/claim`;

async function queueOf(tenant: TenantSession, params: Record<string, string> = {}) {
  const res = await a.call('GET', `/api/v2.1/admin/review-queue?${new URLSearchParams({ tenantId: tenant.tenantId, limit: '100', ...params })}`);
  expect(res.status).toBe(200);
  return res.body.data as Array<Record<string, any>>;
}

function expectError(res: HttpResult, status: number, error: string) {
  expect({ status: res.status, error: res.body.error }).toEqual({ status, error });
}

describe('a director whose identity check is in manual review', () => {
  let person: Awaited<ReturnType<typeof personInManualReview>>;

  beforeAll(async () => {
    person = await personInManualReview(h, plain, { passport: true });
  }, 90_000);

  it("is in the queue as a PERSON case with the provider's reason, labelled by the organization and role, no name", async () => {
    const items = await queueOf(plain, { caseType: 'PERSON' });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      caseType: 'PERSON',
      subjectId: person.verificationId,
      decisionKind: 'IDENTITY',
      reason: KYC_REVIEW_REASON,
      label: `${person.businessName}: director`,
      tenantName: 'Plain Bank',
      claim: null,
      proposal: null,
    });
    expect(items[0].waitingSeconds).toBeGreaterThanOrEqual(0);
    // Waiting since the check entered MANUAL_REVIEW, not since it was opened.
    const row = await personCheckRow(h, person.id, person.partyId);
    expect(items[0].waitingSince).toBe(row.status_changed_at.toISOString());
    expect(row.status_changed_at.getTime()).toBeGreaterThan(row.created_at.getTime());
    expect(JSON.stringify(items[0])).not.toMatch(/Dana|Review/);
    // The organization waits on its person only: no ORGANIZATION case of its own.
    expect((await queueOf(plain)).filter((item) => item.subjectId === person.id)).toEqual([]);
    // The reason filter finds it among the other kinds.
    expect((await queueOf(plain, { reason: KYC_REVIEW_REASON })).map((item) => item.subjectId)).toContain(person.verificationId);
  });

  it('shows the person decoded to a compliance officer: fields, finding, organization, passport, timeline, the check’s workflow', async () => {
    const res = await caseOf(['COMPLIANCE_OFFICER'], 'PERSON', person.verificationId);
    expect(res.status).toBe(200);
    const view = caseViewSchema.parse(res.body);
    expect(view).toMatchObject({ caseType: 'PERSON', status: 'MANUAL_REVIEW', personalDataMasked: false, fourEyes: false, ownership: null, claim: null, proposal: null });
    expect(view.organization).toEqual({ organizationId: person.id, legalName: person.businessName, status: 'ONBOARDING', inReview: false });
    expect(view.pendingDecision).toEqual({ kind: 'IDENTITY', method: 'POST', path: decisionPath(person.verificationId), decisions: ['APPROVE', 'REJECT'] });
    expect(fieldsOf(view)).toMatchObject({
      firstName: { value: 'Dana', masked: false },
      lastName: { value: 'Review', masked: false },
      dateOfBirth: { value: '1980-04-12', masked: false },
      nationality: { value: 'GBR', masked: false },
      partyId: { value: person.partyId, masked: false },
      roles: { value: 'DIRECTOR', masked: false },
      organizationId: { value: person.id, masked: false },
      organizationName: { value: person.businessName, masked: false },
      status: { value: 'MANUAL_REVIEW', masked: false },
    });
    // Their own check only (not the representative's, not KYB's).
    expect(view.findings).toEqual([
      expect.objectContaining({ source: 'IDENTITY', checkId: person.verificationId, status: 'MANUAL_REVIEW', reasons: [KYC_REVIEW_REASON], subjectName: 'Dana Review' }),
    ]);
    expect(view.documents.map((d) => [d.documentId, d.documentType, d.contentPath])).toEqual([
      [person.passportId, 'PASSPORT', `/api/v2.1/admin/documents/${person.passportId}/content`],
    ]);
    expect(view.timeline.map((entry) => entry.kind)).toEqual(expect.arrayContaining(['CHECK', 'DOCUMENT']));
    expectOrdered(view.timeline);
    const workflowId = identityVerificationWorkflowId(plain.tenantId, person.id, person.partyId);
    expect(view.temporal).toEqual({ workflowId, url: expect.stringContaining(`/workflows/${encodeURIComponent(workflowId)}`) });
  });

  it('masks the person for an operator, who still sees the organization and the ids', async () => {
    const res = await caseOf(['OPERATOR'], 'PERSON', person.verificationId);
    expect(res.status).toBe(200);
    expect(res.body.personalDataMasked).toBe(true);
    const fields = fieldsOf(res.body);
    for (const name of ['firstName', 'lastName', 'dateOfBirth', 'nationality', 'email']) expect(fields[name]).toEqual({ value: null, masked: true });
    expect(fields.organizationName).toEqual({ value: person.businessName, masked: false });
    expect(fields.partyId).toEqual({ value: person.partyId, masked: false });
    expect(res.body.findings[0].subjectName).toBe(`Person ${person.partyId} (masked)`);
    expect(JSON.stringify(res.body)).not.toMatch(/Dana/);
  });

  it('is claimed like any case: another officer is refused, at the claim and at the decision route', async () => {
    const claimed = await a.call('POST', claimPath('PERSON', person.verificationId));
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ staffId: a.staffId, mine: true });
    expectError(await b.call('POST', claimPath('PERSON', person.verificationId)), 409, 'CASE_CLAIMED');
    expectError(await decide(b, person.verificationId, 'APPROVE', 'Not my claim'), 409, 'CASE_CLAIMED');
    expect((await personCheckRow(h, person.id, person.partyId)).status).toBe('MANUAL_REVIEW');
    expect((await queueOf(plain, { caseType: 'PERSON', claimed: 'mine' })).map((item) => item.subjectId)).toEqual([person.verificationId]);
    expect((await a.call('DELETE', claimPath('PERSON', person.verificationId))).status).toBe(204);
  });

  it('approved directly (no four-eyes rule), lets the organization finish onboarding, and leaves the queue', async () => {
    const approved = await decide(a, person.verificationId, 'APPROVE', 'Different person: birth date differs');
    expect(approved.status).toBe(200);
    expect(approved.body).toEqual({ verificationId: person.verificationId, status: 'APPROVED' });

    // The onboarding view: the director's check approved, the organization moved on to APPROVED.
    const onboarding = await waitForOrganization(plain, person, 'APPROVED');
    expect(onboarding.persons).toEqual(expect.arrayContaining([expect.objectContaining({ partyId: person.partyId, status: 'APPROVED' })]));
    expect(onboarding.requirements.errors).toEqual([]);

    expect(await personCheckRow(h, person.id, person.partyId)).toMatchObject({ status: 'APPROVED', reviewer: label(a), reason: 'Different person: birth date differs' });
    expect((await queueOf(plain, { caseType: 'PERSON' })).map((item) => item.subjectId)).not.toContain(person.verificationId);
    expect((await a.call('POST', claimPath('PERSON', person.verificationId))).status).toBe(404);

    const after = (await caseOf(['COMPLIANCE_OFFICER'], 'PERSON', person.verificationId)).body;
    expect(after).toMatchObject({ status: 'APPROVED', pendingDecision: null, organization: { status: 'APPROVED', inReview: false } });
    expect(after.timeline).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'DECISION', actor: label(a), reason: 'Different person: birth date differs' })]));
  });
});

describe('four-eyes on a person of an organization', () => {
  it('holds a rejection (rejections rule): 202, the proposer cannot confirm, a second officer does; the organization goes to review', async () => {
    const strict = await tenantWithSettings(h, { fourEyes: { rejections: true } });
    const person = await personInManualReview(h, strict);
    const page = caseViewSchema.parse((await caseOf(['COMPLIANCE_OFFICER'], 'PERSON', person.verificationId)).body);
    expect(page.fourEyes).toBe(true);

    const held = await decide(a, person.verificationId, 'REJECT', 'Watchlist match confirmed');
    expect(held.status).toBe(202);
    expect(held.body).toEqual({
      status: 'AWAITING_SECOND_REVIEW',
      proposal: expect.objectContaining({ kind: 'FOUR_EYES', decision: 'REJECT', reason: 'Watchlist match confirmed', proposedBy: label(a), mine: true }),
    });
    expect((await personCheckRow(h, person.id, person.partyId)).status).toBe('MANUAL_REVIEW');
    const [waiting] = await queueOf(strict, { caseType: 'PERSON' });
    expect(waiting).toMatchObject({ subjectId: person.verificationId, proposal: { kind: 'FOUR_EYES', decision: 'REJECT', proposedBy: label(a), mine: true } });
    expectError(await decide(a, person.verificationId, 'REJECT', 'Watchlist match confirmed'), 409, 'SECOND_REVIEWER_REQUIRED');
    expectError(await decide(b, person.verificationId, 'APPROVE', 'Looks fine to me'), 409, 'PROPOSAL_PENDING');

    const confirmed = await decide(b, person.verificationId, 'REJECT', 'Agreed, same person');
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ verificationId: person.verificationId, status: 'REJECTED' });
    expect(await personCheckRow(h, person.id, person.partyId)).toMatchObject({
      status: 'REJECTED',
      reviewer: label(b),
      reason: `Watchlist match confirmed (proposed by ${label(a)}, confirmed by ${label(b)}: Agreed, same person)`,
    });
    expect(await h.db('review_proposals').where({ case_type: 'PERSON', subject_id: person.verificationId })).toEqual([
      expect.objectContaining({ kind: 'FOUR_EYES', decision: 'REJECT', decision_kind: 'IDENTITY', outcome: 'CONFIRMED', proposed_by_staff_id: a.staffId, resolved_by_staff_id: b.staffId }),
    ]);

    // The rejected person sends the organization to MANUAL_REVIEW: the PERSON case left the queue, the organization's came in.
    await waitForOrganization(strict, person, 'MANUAL_REVIEW');
    const queue = await queueOf(strict);
    expect(queue.map((item) => item.subjectId)).not.toContain(person.verificationId);
    expect(queue).toEqual(expect.arrayContaining([expect.objectContaining({ caseType: 'ORGANIZATION', subjectId: person.id, decisionKind: 'ORGANIZATION_REVIEW' })]));
    const after = (await caseOf(['COMPLIANCE_OFFICER'], 'PERSON', person.verificationId)).body;
    expect(after).toMatchObject({ status: 'REJECTED', pendingDecision: null, proposal: null, organization: { organizationId: person.id, status: 'MANUAL_REVIEW', inReview: true } });
    expect(after.timeline.filter((entry: { kind: string }) => entry.kind === 'PROPOSAL').map((entry: { label: string }) => entry.label)).toEqual([
      'Four-eyes proposal: REJECT',
      'Four-eyes proposal CONFIRMED',
    ]);
  }, 90_000);

  it("gates an individual's own check decided at the same route as its INDIVIDUAL case: a rejection is held there too", async () => {
    const strict = await tenantWithSettings(h, { fourEyes: { rejections: true } });
    const customer = await individualInManualReview(h, strict);
    const check = await h.db('kyc_verifications').where({ customer_id: customer.customerId }).first();
    const held = await decide(a, check.id, 'REJECT', 'Watchlist match confirmed');
    expect(held.status).toBe(202);
    expect(await h.db('review_proposals').where({ subject_id: customer.customerId })).toEqual([
      expect.objectContaining({ case_type: 'INDIVIDUAL', decision_kind: 'KYC', decision: 'REJECT', outcome: null }),
    ]);
    expect((await h.db('kyc_verifications').where({ id: check.id }).first()).status).toBe('MANUAL_REVIEW');
    // The same proposal, whichever of the two routes confirms it.
    const confirmed = await b.call('POST', `/api/v2.1/admin/customers/${customer.customerId}/kyc-decision`, { decision: 'REJECT', reason: 'Agreed' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'REJECTED' });
  }, 60_000);

  it('holds an approval too under the organizations rule, since the check is part of the organization’s onboarding', async () => {
    const organizations = await tenantWithSettings(h, { fourEyes: { organizations: true } });
    const person = await personInManualReview(h, organizations);
    const held = await decide(a, person.verificationId, 'APPROVE', 'Different person');
    expect(held.status).toBe(202);
    expect(held.body.proposal).toMatchObject({ kind: 'FOUR_EYES', decision: 'APPROVE' });
    expect((await personCheckRow(h, person.id, person.partyId)).status).toBe('MANUAL_REVIEW');
    const confirmed = await decide(b, person.verificationId, 'APPROVE', 'Agreed');
    expect({ status: confirmed.status, body: confirmed.body }).toEqual({ status: 200, body: { verificationId: person.verificationId, status: 'APPROVED' } });
    const onboarding = await waitForOrganization(organizations, person, 'APPROVED');
    expect(onboarding.persons).toEqual(expect.arrayContaining([expect.objectContaining({ partyId: person.partyId, status: 'APPROVED' })]));
  }, 90_000);
});

// Last in this file: it takes the case type, the column and the index away and back.
describe('migrations', () => {
  it('roll back and forward: PERSON rows already recorded stay, new ones wait for the wider check; the column is refilled', async () => {
    const { migrationSource } = await import('../../migrations');
    const claim = (subjectId: string) =>
      h.db('review_claims').insert({ case_type: 'PERSON', subject_id: subjectId, tenant_id: plain.tenantId, staff_id: a.staffId, expires_at: h.db.raw("now() + interval '1 minute'") });
    const personProposals = () => h.db('review_proposals').where({ case_type: 'PERSON' }).count<Array<{ n: string }>>({ n: '*' });
    const [{ n: before }] = await personProposals();
    expect(Number(before)).toBeGreaterThan(0);

    for (const name of ['20261127020620_person_checks_review_index', '20261127020610_kyc_verifications_status_changed_at', '20261127020600_review_person_cases']) {
      await h.db.migrate.down({ migrationSource, name });
    }
    expect(await h.db.schema.hasColumn('kyc_verifications', 'status_changed_at')).toBe(false);
    expect(await h.db('pg_indexes').where({ indexname: 'kyc_verifications_persons_in_review_idx' }).first()).toBeUndefined();
    await expect(claim('ver_rolledback')).rejects.toThrow(/review_claims_case_type_check/);
    expect((await personProposals())[0].n).toBe(before);

    await h.db.migrate.latest({ migrationSource });
    await claim('ver_rolledforward');
    expect(await h.db('pg_indexes').where({ indexname: 'kyc_verifications_persons_in_review_idx' }).first()).toBeDefined();
    const rows = await h.db('kyc_verifications').select('status_changed_at', 'decided_at', 'created_at');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.status_changed_at).toEqual(row.decided_at ?? row.created_at);
  });
});
