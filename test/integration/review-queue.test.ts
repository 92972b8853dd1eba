/**
 * The review queue and claims on the real stack: cases put into review through the API (the KYC and KYB sandboxes'
 * REVIEW and REJECT outcomes, an upload), read by staff oldest first with filters and a cursor, claimed so that two
 * reviewers do not work one case, and gone from the queue once decided.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createReviewClaims } from '../../api/review/claims';
import { startHarness, type Harness } from '../support/harness';
import { tenantWithSettings } from '../support/journey';
import {
  documentAwaitingReview,
  individualInManualReview,
  KYB_REVIEW_REASON,
  KYC_REVIEW_REASON,
  organizationInReview,
  organizationKybInReview,
  ORGANIZATION_REVIEW_REASON,
} from '../support/review-cases';
import { newStaffSession, staffSession, type StaffSession } from '../support/staff';
import { createTenant, http, type TenantSession } from '../support/tenant-client';

const QUEUE = '/api/v2.1/admin/review-queue';
const claimPath = (caseType: string, subjectId: string) => `/api/v2.1/admin/cases/${caseType}/${subjectId}/claim`;

let h: Harness;
let tenant: TenantSession;
let other: TenantSession;
let officer: StaffSession;
let secondOfficer: StaffSession;
let individual: Awaited<ReturnType<typeof individualInManualReview>>;
let organization: Awaited<ReturnType<typeof organizationInReview>>;
let kybOrganization: Awaited<ReturnType<typeof organizationKybInReview>>;
let document: Awaited<ReturnType<typeof documentAwaitingReview>>;
let otherIndividual: Awaited<ReturnType<typeof individualInManualReview>>;

beforeAll(async () => {
  h = await startHarness('review_queue');
  tenant = await tenantWithSettings(h, { kycFirstPollAfterSeconds: 1, kycResultTimeoutSeconds: 5 });
  other = await createTenant(h, 'Other Bank');
  [officer, secondOfficer] = await Promise.all([staffSession(h, ['COMPLIANCE_OFFICER']), newStaffSession(h, ['COMPLIANCE_OFFICER'])]);
  [individual, organization, kybOrganization, document, otherIndividual] = await Promise.all([
    individualInManualReview(h, tenant, { firstName: 'Isolde' }),
    organizationInReview(h, tenant),
    organizationKybInReview(h, tenant),
    documentAwaitingReview(h, tenant),
    individualInManualReview(h, other),
  ]);
}, 180_000);
afterAll(() => h?.close());

const query = (params: Record<string, string | number> = {}) => `${QUEUE}?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))}`;
async function page(params: Record<string, string | number> = {}, staff: StaffSession = officer) {
  const res = await staff.call('GET', query(params));
  if (res.status !== 200) throw new Error(`queue: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { data: any[]; nextCursor: string | null };
}
const tenantQueue = async (params: Record<string, string | number> = {}, staff?: StaffSession) => (await page({ tenantId: tenant.tenantId, limit: 100, ...params }, staff)).data;
const itemOf = (items: any[], subjectId: string) => items.find((item) => item.subjectId === subjectId);

describe('the review queue', () => {
  it('lists each kind of case waiting on staff with its decision kind, reason, tenant and a non-sensitive label', async () => {
    const items = await tenantQueue();
    expect(itemOf(items, individual.customerId)).toMatchObject({
      caseType: 'INDIVIDUAL',
      decisionKind: 'KYC',
      reason: KYC_REVIEW_REASON,
      tenantId: tenant.tenantId,
      tenantName: 'Test Bank',
      label: individual.customerId,
      claim: null,
      proposal: null,
    });
    expect(itemOf(items, organization.id)).toMatchObject({ caseType: 'ORGANIZATION', decisionKind: 'ORGANIZATION_REVIEW', reason: ORGANIZATION_REVIEW_REASON, label: organization.businessName });
    expect(itemOf(items, kybOrganization.id)).toMatchObject({ caseType: 'ORGANIZATION', decisionKind: 'KYB', reason: KYB_REVIEW_REASON, label: kybOrganization.businessName });
    expect(itemOf(items, document.documentId)).toMatchObject({ caseType: 'DOCUMENT', decisionKind: 'DOCUMENT', reason: 'DOCUMENT_UPLOADED', label: 'PASSPORT' });
    // The organizations' certificates wait too; nothing of another tenant does.
    expect(itemOf(items, organization.certificateId)).toMatchObject({ decisionKind: 'DOCUMENT', label: 'CERTIFICATE_OF_INCORPORATION' });
    expect(items.every((item) => item.tenantId === tenant.tenantId)).toBe(true);
    // The individual is named by the customer id only: no name or e-mail in the queue.
    for (const personal of [individual.email, 'Isolde']) expect(JSON.stringify(items)).not.toContain(personal);
    expect(JSON.stringify(itemOf(items, individual.customerId))).not.toContain('Review');
  });

  it('says since when each case has waited, from the records that put it there', async () => {
    const items = await tenantQueue();
    const entered = await h.db('customer_status_history').where({ customer_id: individual.customerId, status: 'MANUAL_REVIEW' }).first('created_at');
    expect(itemOf(items, individual.customerId).waitingSince).toBe(entered.created_at.toISOString());
    const uploaded = await h.db('documents').where({ id: document.documentId }).first('created_at');
    expect(itemOf(items, document.documentId).waitingSince).toBe(uploaded.created_at.toISOString());
    const check = await h.db('kyb_verifications').where({ customer_id: kybOrganization.id, status: 'MANUAL_REVIEW' }).first('status_changed_at', 'created_at');
    expect(itemOf(items, kybOrganization.id).waitingSince).toBe(check.status_changed_at.toISOString());
    expect(check.status_changed_at.getTime()).toBeGreaterThanOrEqual(check.created_at.getTime());
  });

  it('puts the oldest first, and the waiting time grows on the database clock', async () => {
    const before = await tenantQueue();
    const since = before.map((item) => Date.parse(item.waitingSince));
    expect(since).toEqual([...since].sort((a, b) => a - b));
    expect(before.length).toBeGreaterThanOrEqual(6);
    await sleep(1_100);
    const after = itemOf(await tenantQueue(), individual.customerId);
    const first = itemOf(before, individual.customerId);
    expect(after.waitingSince).toBe(first.waitingSince);
    expect(after.waitingSeconds).toBeGreaterThanOrEqual(first.waitingSeconds + 1);
  });

  it('filters by tenant, case type, reason and minimum waiting time, together', async () => {
    const otherItems = (await page({ tenantId: other.tenantId })).data;
    expect(otherItems.map((item) => item.subjectId)).toEqual([otherIndividual.customerId]);
    expect(otherItems[0]).toMatchObject({ tenantName: 'Other Bank', decisionKind: 'KYC' });

    const documents = await tenantQueue({ caseType: 'DOCUMENT' });
    expect(documents.map((item) => item.subjectId).sort()).toEqual([document.documentId, organization.certificateId, kybOrganization.certificateId].sort());
    const organizations = await tenantQueue({ caseType: 'ORGANIZATION' });
    expect(organizations.map((item) => item.decisionKind).sort()).toEqual(['KYB', 'ORGANIZATION_REVIEW']);

    const watchlist = (await page({ reason: KYC_REVIEW_REASON, limit: 100 })).data;
    expect(watchlist.map((item) => item.subjectId).sort()).toEqual([individual.customerId, otherIndividual.customerId].sort());
    expect(await tenantQueue({ reason: KYC_REVIEW_REASON, caseType: 'DOCUMENT' })).toEqual([]);

    expect(await tenantQueue({ minWaitingMinutes: 60 })).toEqual([]);
    // The individual has waited two hours (its history row moved back): it alone passes, and comes first.
    await h.db('customer_status_history').where({ customer_id: individual.customerId, status: 'MANUAL_REVIEW' }).update({ created_at: h.db.raw("now() - interval '2 hours'") });
    expect((await tenantQueue({ minWaitingMinutes: 60 })).map((item) => item.subjectId)).toEqual([individual.customerId]);
    expect((await tenantQueue())[0]).toMatchObject({ subjectId: individual.customerId, waitingSeconds: expect.any(Number) });
    expect((await tenantQueue())[0].waitingSeconds).toBeGreaterThanOrEqual(7_200);
    expect(await tenantQueue({ minWaitingMinutes: 60, caseType: 'DOCUMENT' })).toEqual([]);
  });

  it('pages with an opaque cursor, and refuses a cursor it did not give', async () => {
    const all = await tenantQueue();
    const walked: any[] = [];
    let cursor: string | null = null;
    do {
      const next: { data: any[]; nextCursor: string | null } = await page({ tenantId: tenant.tenantId, limit: 2, ...(cursor ? { cursor } : {}) });
      expect(next.data.length).toBeLessThanOrEqual(2);
      walked.push(...next.data);
      cursor = next.nextCursor;
    } while (cursor);
    expect(walked.map((item) => item.subjectId)).toEqual(all.map((item) => item.subjectId));

    const forged = (at: string) => Buffer.from(JSON.stringify([at, 'INDIVIDUAL', 'cust_x'])).toString('base64url');
    for (const bad of ['not-a-cursor', forged('yesterday'), forged('2026-02-30T00:00:00.000000Z'), forged('0000-01-01T00:00:00.000000Z')]) {
      const res = await officer.call('GET', query({ cursor: bad }));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'VALIDATION_ERROR', details: [{ field: 'cursor', message: expect.any(String) }] });
    }
    expect((await officer.call('GET', query({ limit: 0 }))).status).toBe(400);
    expect((await officer.call('GET', query({ caseType: 'COMPANY' }))).status).toBe(400);
  });

  it('is read by compliance officers, operators and auditors, and by no tenant admin', async () => {
    for (const roles of [['OPERATOR'], ['AUDITOR']] as const) {
      expect((await (await staffSession(h, [...roles])).call('GET', QUEUE)).status).toBe(200);
    }
    const tenantAdmin = await staffSession(h, ['TENANT_ADMIN'], { tenantId: tenant.tenantId });
    expect((await tenantAdmin.call('GET', query({ tenantId: tenant.tenantId }))).status).toBe(403);
    expect((await http(h.api.url, 'GET', QUEUE)).status).toBe(401);
    expect((await tenant.call('GET', QUEUE)).status).toBe(401);
  });
});

describe('claims', () => {
  it("claims a case for REVIEW_CLAIM_MINUTES, extends one's own, and refuses another reviewer's with who and until when", async () => {
    const path = claimPath('INDIVIDUAL', individual.customerId);
    const taken = await officer.call('POST', path);
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ staffId: officer.staffId, staffEmail: officer.email, mine: true });
    const minutes = (Date.parse(taken.body.expiresAt) - Date.parse(taken.body.claimedAt)) / 60_000;
    expect(minutes).toBeCloseTo(h.config.REVIEW_CLAIM_MINUTES, 1);

    await sleep(20);
    const again = await officer.call('POST', path);
    expect(again.status).toBe(200);
    expect(again.body.claimedAt).toBe(taken.body.claimedAt);
    expect(Date.parse(again.body.expiresAt)).toBeGreaterThan(Date.parse(taken.body.expiresAt));

    const refused = await secondOfficer.call('POST', path);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      error: 'CASE_CLAIMED',
      message: expect.any(String),
      details: [
        { field: 'claimedBy', message: officer.email },
        { field: 'staffId', message: officer.staffId },
        { field: 'expiresAt', message: again.body.expiresAt },
      ],
    });

    // The queue shows the claim to both, as theirs or not, and filters on it.
    expect(itemOf(await tenantQueue({}, secondOfficer), individual.customerId).claim).toMatchObject({ staffEmail: officer.email, mine: false });
    expect((await tenantQueue({ claimed: 'mine' })).map((item) => item.subjectId)).toEqual([individual.customerId]);
    expect(await tenantQueue({ claimed: 'mine' }, secondOfficer)).toEqual([]);
    const unclaimed = await tenantQueue({ claimed: 'unclaimed' });
    expect(unclaimed.map((item) => item.subjectId)).not.toContain(individual.customerId);
    expect(unclaimed.length).toBe((await tenantQueue()).length - 1);
  });

  it('lets another reviewer take over a lapsed claim, and releases only your own', async () => {
    const path = claimPath('ORGANIZATION', organization.id);
    expect((await officer.call('POST', path)).status).toBe(200);
    // The claim lapses (as REVIEW_CLAIM_MINUTES later): anyone may take the case.
    await h.db('review_claims')
      .where({ case_type: 'ORGANIZATION', subject_id: organization.id })
      .update({ claimed_at: h.db.raw("now() - interval '2 hours'"), expires_at: h.db.raw("now() - interval '1 hour'") });
    expect(itemOf(await tenantQueue(), organization.id).claim).toBeNull();
    const takeover = await secondOfficer.call('POST', path);
    expect(takeover.status).toBe(200);
    expect(takeover.body).toMatchObject({ staffId: secondOfficer.staffId, mine: true });
    expect(Date.parse(takeover.body.claimedAt)).toBeGreaterThan(Date.now() - 60_000);

    expect((await officer.call('DELETE', path)).status).toBe(404);
    expect((await officer.call('POST', path)).status).toBe(409);
    expect((await secondOfficer.call('DELETE', path)).status).toBe(204);
    expect((await secondOfficer.call('DELETE', path)).status).toBe(404);
    expect(itemOf(await tenantQueue(), organization.id).claim).toBeNull();
    expect((await officer.call('POST', path)).status).toBe(200);
  });

  it('gives a case claimed by several reviewers at once to exactly one of them', async () => {
    const reviewers = [officer, secondOfficer, ...(await Promise.all([1, 2, 3, 4].map(() => newStaffSession(h, ['COMPLIANCE_OFFICER']))))];
    const path = claimPath('DOCUMENT', kybOrganization.certificateId);
    const answers = await Promise.all(reviewers.map((reviewer) => reviewer.call('POST', path)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const winner = reviewers[answers.findIndex((answer) => answer.status === 200)]!;
    for (const refused of answers.filter((answer) => answer.status === 409)) expect(refused.body.details[1]).toEqual({ field: 'staffId', message: winner.staffId });
    expect(await h.db('review_claims').where({ case_type: 'DOCUMENT', subject_id: kybOrganization.certificateId }).select('staff_id')).toEqual([{ staff_id: winner.staffId }]);
  });

  it("lets a decision through for the claim's holder or a free case, and refuses it while another reviewer holds one", async () => {
    const claims = createReviewClaims(h.db, { claimMinutes: h.config.REVIEW_CLAIM_MINUTES });
    const ref = { caseType: 'DOCUMENT' as const, subjectId: organization.certificateId };
    await expect(claims.assertNotClaimedByOther(ref, secondOfficer.staffId)).resolves.toBeUndefined();
    expect((await officer.call('POST', claimPath(ref.caseType, ref.subjectId))).status).toBe(200);
    await expect(claims.assertNotClaimedByOther(ref, officer.staffId)).resolves.toBeUndefined();
    await expect(claims.assertNotClaimedByOther(ref, secondOfficer.staffId)).rejects.toMatchObject({ status: 409, code: 'CASE_CLAIMED' });
    await h.db('review_claims').where({ case_type: ref.caseType, subject_id: ref.subjectId }).update({ claimed_at: h.db.raw("now() - interval '2 hours'"), expires_at: h.db.raw("now() - interval '1 hour'") });
    await expect(claims.assertNotClaimedByOther(ref, secondOfficer.staffId)).resolves.toBeUndefined();
  });

  it('answers 404 for a case not waiting on staff, and lets only compliance officers claim', async () => {
    expect((await officer.call('POST', claimPath('INDIVIDUAL', 'cus_unknown'))).status).toBe(404);
    // A document id is not an individual's case.
    expect((await officer.call('POST', claimPath('INDIVIDUAL', document.documentId))).status).toBe(404);
    expect((await officer.call('POST', claimPath('COMPANY', individual.customerId))).status).toBe(400);
    // A customer id is not a person's check.
    expect((await officer.call('POST', claimPath('PERSON', individual.customerId))).status).toBe(404);
    for (const roles of [['AUDITOR'], ['OPERATOR']] as const) {
      const staff = await staffSession(h, [...roles]);
      expect((await staff.call('POST', claimPath('DOCUMENT', document.documentId))).status).toBe(403);
      expect((await staff.call('DELETE', claimPath('DOCUMENT', document.documentId))).status).toBe(403);
    }
  });
});

describe('a decided case', () => {
  it('leaves the queue, and can no longer be claimed', async () => {
    const decided = await officer.call('PUT', `/api/v2.1/admin/documents/${document.documentId}/status`, { status: 'ACCEPTED' });
    expect(decided.status).toBe(200);
    const kyc = await officer.call('POST', `/api/v2.1/admin/customers/${individual.customerId}/kyc-decision`, { decision: 'APPROVE', reason: 'Watchlist hit is a namesake' });
    expect(kyc.status).toBe(200);
    const items = await tenantQueue();
    expect(itemOf(items, document.documentId)).toBeUndefined();
    expect(itemOf(items, individual.customerId)).toBeUndefined();
    expect(itemOf(items, organization.id)).toBeDefined();
    expect((await officer.call('POST', claimPath('DOCUMENT', document.documentId))).status).toBe(404);
  });

  it("leaves the queue whichever route decided it: an organization's review, a KYB check", async () => {
    const decision = { decision: 'APPROVE', reason: 'Registry extract checked by hand' };
    expect((await officer.call('POST', `/api/v2.1/admin/organizations/${organization.id}/review-decision`, decision)).status).toBe(200);
    expect((await officer.call('POST', `/api/v2.1/admin/organizations/${kybOrganization.id}/kyb-decision`, decision)).status).toBe(200);
    const organizations = await tenantQueue({ caseType: 'ORGANIZATION' });
    expect(organizations).toEqual([]);
    expect((await officer.call('POST', claimPath('ORGANIZATION', kybOrganization.id))).status).toBe(404);
  });
});

// Last in this file: it takes the column and the indexes away and back.
describe('migrations', () => {
  it('roll back and forward, the KYB column filled from the rows that were there', async () => {
    const { migrationSource } = await import('../../migrations');
    for (const name of ['20261127020310_review_queue_indexes', '20261127020300_kyb_verifications_status_changed_at']) await h.db.migrate.down({ migrationSource, name });
    expect(await h.db.schema.hasColumn('kyb_verifications', 'status_changed_at')).toBe(false);
    const indexes = () => h.db('pg_indexes').whereLike('indexname', '%review%').pluck('indexname');
    expect(await indexes()).not.toContain('documents_awaiting_review_idx');
    await h.db.migrate.latest({ migrationSource });
    expect(await indexes()).toEqual(expect.arrayContaining(['customers_in_manual_review_idx', 'kyb_verifications_in_manual_review_idx', 'documents_awaiting_review_idx']));
    const rows = await h.db('kyb_verifications').select('status_changed_at', 'decided_at', 'created_at');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.status_changed_at).toEqual(row.decided_at ?? row.created_at);
  });
});
