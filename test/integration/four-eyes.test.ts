/**
 * Four-eyes and escalation on the real stack: individuals and an organization put in MANUAL_REVIEW by the sandbox
 * vendors, documents uploaded by the tenant, two (or three) compliance officers signed in with TOTP. A held decision
 * answers 202 and leaves the case in review; a second officer's same decision runs it with both named in the history
 * and the audit trail; the proposer cannot confirm, a different decision waits for a decline; an escalation keeps its
 * author from deciding; another reviewer's claim refuses a decision; a tenant without the setting decides directly.
 */
import { onboardingWorkflowId } from '../../common/onboarding-contract';
import { pngFile, upload } from '../support/documents';
import { expectInvalidState } from '../support/expectations';
import { startHarness, type Harness } from '../support/harness';
import { readyForKyc, tenantWithSettings, waitForStatus } from '../support/journey';
import { expectStatus, readyForKyb, waitForOrganization } from '../support/organization-journey';
import { newStaffSession, type StaffSession } from '../support/staff';
import { createTenant, http, type HttpResult, type TenantSession } from '../support/tenant-client';

let h: Harness;
/** `fourEyes.rejections`: every rejection needs a second officer. */
let strict: TenantSession;
/** No four-eyes setting: decisions run as they always did. */
let plain: TenantSession;
let a: StaffSession;
let b: StaffSession;
let c: StaffSession;

beforeAll(async () => {
  h = await startHarness('four_eyes');
  strict = await tenantWithSettings(h, { fourEyes: { rejections: true } });
  plain = await createTenant(h, 'Plain Bank');
  [a, b, c] = await Promise.all([1, 2, 3].map(() => newStaffSession(h, ['COMPLIANCE_OFFICER'])));
});
afterAll(() => h?.close());

const label = (officer: StaffSession) => `staff:${officer.staffId}`;

async function inManualReview(tenant: TenantSession) {
  const customer = await readyForKyc(h, tenant, { lastName: 'Review' });
  await expectStatus(tenant.call('POST', `${customer.path}/verification`), 202);
  await waitForStatus(tenant, customer.path, 'MANUAL_REVIEW');
  return customer;
}

const kycDecision = (officer: StaffSession, customerId: string, decision: 'APPROVE' | 'REJECT', reason: string) =>
  officer.call('POST', `/api/v2.1/admin/customers/${customerId}/kyc-decision`, { decision, reason });
const casePath = (caseType: string, subjectId: string) => `/api/v2.1/admin/cases/${caseType}/${subjectId}`;
const onboardingStatus = async (tenant: TenantSession, path: string) => (await tenant.call('GET', `${path}/onboarding`)).body.status;
const proposalsOf = (subjectId: string) => h.db('review_proposals').where({ subject_id: subjectId }).orderBy('created_at');

function expectError(res: HttpResult, status: number, error: string) {
  expect({ status: res.status, error: res.body.error }).toEqual({ status, error });
}

/** The audit row of the last call `officer` made on this path, as the recorder wrote it. */
async function auditOf(officer: StaffSession, path: string) {
  const rows = await h.db('audit_events').where({ actor_id: officer.staffId, action: path }).orderBy('id', 'desc');
  return rows[0];
}

describe('a rejection under four-eyes', () => {
  it('is held (202, still MANUAL_REVIEW), the proposer cannot confirm it, a second officer does: REJECTED, both in the history and the audit trail', async () => {
    const customer = await inManualReview(strict);

    const held = await kycDecision(a, customer.customerId, 'REJECT', 'Watchlist match confirmed');
    expect(held.status).toBe(202);
    expect(held.body).toEqual({
      status: 'AWAITING_SECOND_REVIEW',
      proposal: expect.objectContaining({ kind: 'FOUR_EYES', decision: 'REJECT', reason: 'Watchlist match confirmed', proposedBy: label(a), proposedByEmail: a.email, mine: true }),
    });
    expect(await onboardingStatus(strict, customer.path)).toBe('MANUAL_REVIEW');
    expect(await h.db('kyc_verifications').where({ customer_id: customer.customerId }).first()).toMatchObject({ status: 'MANUAL_REVIEW', reviewer: null });

    expectError(await kycDecision(a, customer.customerId, 'REJECT', 'Watchlist match confirmed'), 409, 'SECOND_REVIEWER_REQUIRED');
    expectError(await kycDecision(b, customer.customerId, 'APPROVE', 'Looks fine to me'), 409, 'PROPOSAL_PENDING');
    expect(await onboardingStatus(strict, customer.path)).toBe('MANUAL_REVIEW');

    const confirmed = await kycDecision(b, customer.customerId, 'REJECT', 'Agreed, same person');
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'REJECTED' });

    const reason = `Watchlist match confirmed (proposed by ${label(a)}, confirmed by ${label(b)}: Agreed, same person)`;
    const history = await b.call('GET', `/api/v2.1/admin/customers/${customer.customerId}/verification-history`);
    expect(history.body.data.verifications).toEqual([expect.objectContaining({ status: 'REJECTED', reviewer: label(b), reason })]);
    expect(history.body.data.statuses.at(-1)).toMatchObject({ status: 'REJECTED', reason });
    expect(await proposalsOf(customer.customerId)).toEqual([
      expect.objectContaining({ kind: 'FOUR_EYES', decision: 'REJECT', proposed_by_staff_id: a.staffId, resolved_by_staff_id: b.staffId, outcome: 'CONFIRMED', resolution_reason: 'Agreed, same person' }),
    ]);

    const action = 'POST /api/v2.1/admin/customers/{customerId}/kyc-decision';
    expect(await auditOf(a, action)).toMatchObject({ status: 409, target_id: customer.customerId });
    const [proposed] = await h.db('audit_events').where({ actor_id: a.staffId, action, status: 202, target_id: customer.customerId });
    expect(proposed.changes.values).toEqual({ decision: 'REJECT' });
    const [decided] = await h.db('audit_events').where({ actor_id: b.staffId, action, status: 200, target_id: customer.customerId });
    expect(decided).toMatchObject({ tenant_id: strict.tenantId, changes: { values: { decision: 'REJECT' } } });
  });

  it('leaves the proposal open when the confirmed decision fails', async () => {
    const customer = await inManualReview(strict);
    expect((await kycDecision(a, customer.customerId, 'REJECT', 'Synthetic identity')).status).toBe(202);
    // An operator ends the onboarding (and its identity check with it): the decision can no longer be delivered.
    await h.temporal.workflow.getHandle(onboardingWorkflowId(strict.tenantId, customer.customerId)).terminate('test: the decision cannot be delivered');
    const failed = await kycDecision(b, customer.customerId, 'REJECT', 'Agreed');
    expectInvalidState(failed, 'MANUAL_REVIEW');
    expect(await proposalsOf(customer.customerId)).toEqual([expect.objectContaining({ kind: 'FOUR_EYES', outcome: null, resolved_at: null })]);
  });

  it('lets an approval through directly', async () => {
    const customer = await inManualReview(strict);
    const approved = await kycDecision(a, customer.customerId, 'APPROVE', 'Documents checked by hand');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'KYC_APPROVED' });
    expect(await proposalsOf(customer.customerId)).toEqual([]);
  });

  it('decides once when two officers confirm at the same moment', async () => {
    const customer = await inManualReview(strict);
    expect((await kycDecision(a, customer.customerId, 'REJECT', 'Forged passport')).status).toBe(202);
    const answers = await Promise.all([b, c].map((officer) => kycDecision(officer, customer.customerId, 'REJECT', 'Agreed')));
    expect(answers.map((res) => res.status).sort()).toEqual([200, 409]);
    expect(answers.find((res) => res.status === 409)!.body.error).toBe('INVALID_STATE');
    const history = await a.call('GET', `/api/v2.1/admin/customers/${customer.customerId}/verification-history`);
    expect(history.body.data.statuses.filter((s: { status: string }) => s.status === 'REJECTED')).toHaveLength(1);
    expect((await proposalsOf(customer.customerId)).map((p) => p.outcome)).toEqual(['CONFIRMED']);
  });

  it('holds a document rejection, never a re-upload request or an acceptance', async () => {
    const customer = await inManualReview(strict);
    const uploadPng = async () => (await expectStatus(upload(h, strict, customer.customerId, { bytes: pngFile(), fileName: 'id.png', contentType: 'image/png', fields: { type: 'PASSPORT' } }), 201)).documentId as string;
    const [rejected, reupload, accepted] = [await uploadPng(), await uploadPng(), await uploadPng()];
    const review = (officer: StaffSession, documentId: string, body: Record<string, string>) => officer.call('PUT', `/api/v2.1/admin/documents/${documentId}/status`, body);

    expect((await review(a, rejected, { status: 'REJECTED', reason: 'Edited photo' })).status).toBe(202);
    expect((await b.call('GET', `/api/v2.1/admin/documents/${rejected}`)).body.status).toBe('UPLOADED');
    const confirmed = await review(b, rejected, { status: 'REJECTED', reason: 'Edited photo' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'REJECTED', reviewer: label(b), reason: `Edited photo (proposed by ${label(a)}, confirmed by ${label(b)})` });

    expect(await review(a, reupload, { status: 'REUPLOAD_REQUESTED', reason: 'Too blurry to read' })).toMatchObject({ status: 200, body: { status: 'REUPLOAD_REQUESTED', reason: 'Too blurry to read' } });
    expect(await review(a, accepted, { status: 'ACCEPTED' })).toMatchObject({ status: 200, body: { status: 'ACCEPTED' } });
  });
});

describe('a tenant without the setting', () => {
  it('rejects directly, as before', async () => {
    const customer = await inManualReview(plain);
    const rejected = await kycDecision(a, customer.customerId, 'REJECT', 'Watchlist match confirmed');
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'REJECTED' });
    expect(await proposalsOf(customer.customerId)).toEqual([]);
  });
});

describe('declining a proposal', () => {
  it('is for a second officer only, and leaves the case undecided for anyone to decide', async () => {
    const customer = await inManualReview(strict);
    expect((await kycDecision(a, customer.customerId, 'REJECT', 'Address mismatch')).status).toBe(202);
    const decline = (officer: StaffSession) => officer.call('POST', `${casePath('INDIVIDUAL', customer.customerId)}/proposal/decline`, { reason: 'The address was updated since' });

    expectError(await decline(a), 409, 'SECOND_REVIEWER_REQUIRED');
    const declined = await decline(b);
    expect(declined.status).toBe(200);
    expect(declined.body).toEqual({ outcome: 'DECLINED', proposal: expect.objectContaining({ kind: 'FOUR_EYES', decision: 'REJECT', proposedBy: label(a) }) });
    expect(await proposalsOf(customer.customerId)).toEqual([expect.objectContaining({ outcome: 'DECLINED', resolved_by_staff_id: b.staffId })]);
    expectError(await decline(b), 404, 'NOT_FOUND');
    expect(await onboardingStatus(strict, customer.path)).toBe('MANUAL_REVIEW');

    // Undecided again: the first officer may now approve (approvals are not held).
    expect(await kycDecision(a, customer.customerId, 'APPROVE', 'Address confirmed')).toMatchObject({ status: 200, body: { status: 'KYC_APPROVED' } });
  });
});

describe('escalation', () => {
  const escalate = (officer: StaffSession, customerId: string) =>
    officer.call('POST', `${casePath('INDIVIDUAL', customerId)}/escalation`, { reason: 'Unsure about the sanctions hit' });

  it('keeps its author from deciding; another officer decides and settles it', async () => {
    const customer = await inManualReview(plain);
    const escalated = await escalate(a, customer.customerId);
    expect(escalated.status).toBe(201);
    expect(escalated.body).toMatchObject({ kind: 'ESCALATION', decision: null, proposedBy: label(a), mine: true });
    expectError(await escalate(b, customer.customerId), 409, 'PROPOSAL_PENDING');
    expectError(await kycDecision(a, customer.customerId, 'APPROVE', 'Cleared'), 409, 'SECOND_REVIEWER_REQUIRED');

    expect(await kycDecision(b, customer.customerId, 'APPROVE', 'Different birth date: not the listed person')).toMatchObject({ status: 200, body: { status: 'KYC_APPROVED' } });
    const verification = await h.db('kyc_verifications').where({ customer_id: customer.customerId }).first();
    expect(verification).toMatchObject({
      reviewer: label(b),
      reason: `Different birth date: not the listed person (escalated by ${label(a)}, decided by ${label(b)})`,
    });
    expect(await proposalsOf(customer.customerId)).toEqual([expect.objectContaining({ kind: 'ESCALATION', outcome: 'DECIDED', resolved_by_staff_id: b.staffId })]);
    // Decided: nothing waits on staff any more.
    expectError(await escalate(a, customer.customerId), 404, 'NOT_FOUND');
  });

  it('under four-eyes becomes the deciding officer\'s proposal, which the one who escalated may confirm', async () => {
    const customer = await inManualReview(strict);
    expect((await escalate(a, customer.customerId)).status).toBe(201);
    const held = await kycDecision(b, customer.customerId, 'REJECT', 'It is the listed person');
    expect(held).toMatchObject({ status: 202, body: { proposal: { kind: 'FOUR_EYES', decision: 'REJECT', proposedBy: label(b) } } });
    expect(await kycDecision(a, customer.customerId, 'REJECT', 'Agreed')).toMatchObject({ status: 200, body: { status: 'REJECTED' } });
    expect((await proposalsOf(customer.customerId)).map((p) => [p.kind, p.outcome])).toEqual([
      ['ESCALATION', 'DECIDED'],
      ['FOUR_EYES', 'CONFIRMED'],
    ]);
  });

  it('answers 404 for an unknown case and 400 without a reason', async () => {
    expectError(await escalate(a, 'cust_000000000000000000000000'), 404, 'NOT_FOUND');
    expectError(await a.call('POST', `${casePath('INDIVIDUAL', 'cust_000000000000000000000000')}/escalation`, {}), 400, 'VALIDATION_ERROR');
  });
});

describe('claims', () => {
  it("refuse another officer's decision (409 CASE_CLAIMED), but not the claim holder's own", async () => {
    const customer = await inManualReview(plain);
    await expectStatus(a.call('POST', `${casePath('INDIVIDUAL', customer.customerId)}/claim`), 200);

    const refused = await kycDecision(b, customer.customerId, 'APPROVE', 'Cleared');
    expectError(refused, 409, 'CASE_CLAIMED');
    expect(refused.body.details).toEqual(expect.arrayContaining([{ field: 'staffId', message: a.staffId }]));
    expectError(await b.call('POST', `${casePath('INDIVIDUAL', customer.customerId)}/escalation`, { reason: 'Need a second look' }), 409, 'CASE_CLAIMED');
    expect(await onboardingStatus(plain, customer.path)).toBe('MANUAL_REVIEW');
    expect(await kycDecision(a, customer.customerId, 'APPROVE', 'Cleared')).toMatchObject({ status: 200, body: { status: 'KYC_APPROVED' } });
  });

  it("do not keep the second officer from confirming when the proposer holds the claim", async () => {
    const customer = await inManualReview(strict);
    await expectStatus(a.call('POST', `${casePath('INDIVIDUAL', customer.customerId)}/claim`), 200);
    expect((await kycDecision(a, customer.customerId, 'REJECT', 'Fraud ring')).status).toBe(202);
    expect(await kycDecision(b, customer.customerId, 'REJECT', 'Fraud ring')).toMatchObject({ status: 200, body: { status: 'REJECTED' } });
  });
});

describe('the organizations rule', () => {
  let orgs: TenantSession;
  beforeAll(async () => {
    orgs = await tenantWithSettings(h, { fourEyes: { organizations: true } });
  });

  it('holds every decision on an organization, and none on its documents', async () => {
    const org = await readyForKyb(h, orgs, { businessName: `Reject Trading ${Date.now().toString(36)}` });
    await expectStatus(orgs.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`), 202);
    await waitForOrganization(orgs, org, 'MANUAL_REVIEW');
    const review = (officer: StaffSession, decision: 'APPROVE' | 'REJECT') =>
      officer.call('POST', `/api/v2.1/admin/organizations/${org.id}/review-decision`, { decision, reason: 'Registry extract checked by hand' });

    expect(await review(a, 'APPROVE')).toMatchObject({ status: 202, body: { proposal: { kind: 'FOUR_EYES', decision: 'APPROVE' } } });
    expect(await onboardingStatus(orgs, org.path)).toBe('MANUAL_REVIEW');

    // A document of the organization is its own case: accepting one is not held.
    const documentId = (await expectStatus(upload(h, orgs, org.id, { bytes: pngFile(), fileName: 'extract.png', contentType: 'image/png', fields: { type: 'CERTIFICATE_OF_INCORPORATION' } }), 201)).documentId;
    expect(await a.call('PUT', `/api/v2.1/admin/documents/${documentId}/status`, { status: 'ACCEPTED' })).toMatchObject({ status: 200, body: { status: 'ACCEPTED' } });

    expect(await review(b, 'APPROVE')).toMatchObject({ status: 200, body: { status: 'APPROVED' } });
    const approved = await h.db('customer_status_history').where({ customer_id: org.id, status: 'APPROVED' }).first();
    expect(approved.reason).toBe(`Approved by ${label(b)}: Registry extract checked by hand (proposed by ${label(a)}, confirmed by ${label(b)})`);
  });

  it("holds a decision on the KYB check's own review, and confirms it through the KYB route", async () => {
    const org = await readyForKyb(h, orgs, { businessName: `Review Trading ${Date.now().toString(36)}` });
    await expectStatus(orgs.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`), 202);
    const kybDecision = (officer: StaffSession) =>
      officer.call('POST', `/api/v2.1/admin/organizations/${org.id}/kyb-decision`, { decision: 'APPROVE', reason: 'Adverse media cleared' });
    await waitForKybReview(org.id);

    expect(await kybDecision(a)).toMatchObject({ status: 202, body: { proposal: { kind: 'FOUR_EYES', decision: 'APPROVE' } } });
    expect(await proposalsOf(org.id)).toEqual([expect.objectContaining({ decision_kind: 'KYB', outcome: null })]);
    expect(await kybDecision(b)).toMatchObject({ status: 200, body: { kybStatus: 'APPROVED' } });
    expect(await waitForOrganization(orgs, org, 'APPROVED')).toMatchObject({ kybStatus: 'APPROVED' });
    const kyb = await h.db('kyb_verifications').where({ customer_id: org.id }).first();
    expect(kyb).toMatchObject({ reviewer: label(b), reason: `Adverse media cleared (proposed by ${label(a)}, confirmed by ${label(b)})` });
  });
});

describe('the API description', () => {
  it('documents the 202 and the 409s of every decision route', async () => {
    const document = (await http(h.api.url, 'GET', '/openapi.json')).body;
    const routes: Array<[string, string]> = [
      ['/api/v2.1/admin/customers/{customerId}/kyc-decision', 'post'],
      ['/api/v2.1/admin/organizations/{organizationId}/review-decision', 'post'],
      ['/api/v2.1/admin/organizations/{organizationId}/kyb-decision', 'post'],
      ['/api/v2.1/admin/documents/{documentId}/status', 'put'],
    ];
    for (const [path, method] of routes) {
      const responses = document.paths[path][method].responses;
      expect(responses['202'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/AwaitingSecondReview' });
      expect(responses['409'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/DecisionConflict' });
      expect(responses['409'].description).toMatch(/CASE_CLAIMED.*SECOND_REVIEWER_REQUIRED.*PROPOSAL_PENDING/);
    }
    expect(document.components.schemas.DecisionConflict.properties.error.enum).toEqual(expect.arrayContaining(['CASE_CLAIMED', 'SECOND_REVIEWER_REQUIRED', 'PROPOSAL_PENDING']));
  });
});

/** The KYB check's own manual review, as the back office sees it (its newest verification row). */
async function waitForKybReview(organizationId: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await h.db('kyb_verifications').where({ customer_id: organizationId }).orderBy('created_at', 'desc').first();
    if (row?.status === 'MANUAL_REVIEW') return;
    if (Date.now() > deadline) throw new Error(`KYB never reached MANUAL_REVIEW: ${row?.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
