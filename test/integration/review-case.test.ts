/**
 * The case page over HTTP on the real stack, for individuals: one the KYC sandbox sends to MANUAL_REVIEW with an
 * uploaded passport (PNG). Personal data is decoded for compliance officers and auditors and masked for operators
 * (tax ids masked for everyone); the finding, the document with a working inline content route, the timeline (with
 * the decision once made), the Temporal link and the pending decision's route; claims and proposals; 404s and roles.
 * Organizations: review-case-organization.test.ts.
 */
import { randomBytes } from 'node:crypto';
import type { StaffRole } from '../../common/access';
import { caseViewSchema } from '../../api/review/schemas';
import { startHarness, type Harness } from '../support/harness';
import { pngFile, sha256, upload } from '../support/documents';
import { readyForKyc, tenantWithSettings, waitForStatus } from '../support/journey';
import { expectStatus } from '../support/organization-journey';
import { caseClient, expectOrdered, fieldsOf, SECURITY_HEADERS } from '../support/review-case';
import { staffSession } from '../support/staff';
import { staffActorLabel } from '../support/staff-actor';
import { createTenant, http, type TenantSession } from '../support/tenant-client';

const TEMPORAL_UI = 'http://temporal-ui.example:8080';

let h: Harness;
let strictTenant: TenantSession;
let plainTenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('review_case', { env: { TEMPORAL_UI_URL: TEMPORAL_UI } });
  strictTenant = await tenantWithSettings(h, { fourEyes: { rejections: true } });
  plainTenant = await createTenant(h, 'Plain Bank');
});
afterAll(() => h?.close());

const { caseOf, content, session } = caseClient(() => h);

describe('an individual in manual review', () => {
  let customer: { customerId: string; email: string; path: string };
  let passport: { documentId: string; bytes: Buffer };

  beforeAll(async () => {
    customer = await readyForKyc(h, strictTenant, { firstName: 'Rosalind', lastName: 'Review' });
    await expectStatus(strictTenant.call('POST', `${customer.path}/verification`), 202);
    await waitForStatus(strictTenant, customer.path, 'MANUAL_REVIEW');
    const bytes = pngFile(12, 9);
    const uploaded = await expectStatus(upload(h, strictTenant, customer.customerId, { bytes, fileName: 'passport.png', contentType: 'image/png', fields: { type: 'PASSPORT' } }), 201);
    passport = { documentId: uploaded.documentId, bytes };
  });

  it('shows a compliance officer the decoded subject, the finding, the document, the Temporal link and the KYC decision route', async () => {
    const res = await caseOf(['COMPLIANCE_OFFICER'], 'INDIVIDUAL', customer.customerId);
    expect(res.status).toBe(200);
    const view = caseViewSchema.parse(res.body);
    expect(view).toMatchObject({ caseType: 'INDIVIDUAL', subjectId: customer.customerId, status: 'MANUAL_REVIEW', personalDataMasked: false, fourEyes: true, claim: null, proposal: null, ownership: null });
    expect(view.tenant).toEqual({ id: strictTenant.tenantId, name: 'Test Bank' });
    expect(fieldsOf(view)).toMatchObject({
      firstName: { value: 'Rosalind', masked: false },
      lastName: { value: 'Review', masked: false },
      dateOfBirth: { value: '1990-04-15', masked: false },
      nationality: { value: 'USA', masked: false },
      address: { value: '123 Market Street, 94103 San Francisco, US-CA, USA', masked: false },
      email: { value: customer.email, masked: false },
      phone: { value: null, masked: false },
      status: { value: 'MANUAL_REVIEW', masked: false },
    });
    expect(view.findings).toEqual([
      expect.objectContaining({ source: 'KYC', provider: h.config.KYC_PROVIDER_NAME, status: 'MANUAL_REVIEW', reasons: ['POSSIBLE_WATCHLIST_MATCH'], riskScore: null, completedAt: null }),
    ]);
    expect(view.documents).toEqual([
      expect.objectContaining({ documentId: passport.documentId, documentType: 'PASSPORT', fileName: 'passport.png', contentType: 'image/png', status: 'UPLOADED', contentPath: `/api/v2.1/admin/documents/${passport.documentId}/content` }),
    ]);
    const workflowId = `onboarding/${strictTenant.tenantId}/${customer.customerId}`;
    expect(view.temporal).toEqual({ workflowId, url: `${TEMPORAL_UI}/namespaces/${h.config.TEMPORAL_NAMESPACE}/workflows/${encodeURIComponent(workflowId)}` });
    expect(view.pendingDecision).toEqual({ kind: 'KYC', method: 'POST', path: `/api/v2.1/admin/customers/${customer.customerId}/kyc-decision`, decisions: ['APPROVE', 'REJECT'] });
    expectOrdered(view.timeline);
    const labels = view.timeline.map((entry) => `${entry.kind} ${entry.label}`);
    expect(labels).toEqual(expect.arrayContaining(['STATUS Status MANUAL_REVIEW', `CHECK KYC check opened (${h.config.KYC_PROVIDER_NAME})`, 'DOCUMENT PASSPORT uploaded (passport.png)']));
    expect(labels.indexOf('STATUS Status PENDING_KYC')).toBeLessThan(labels.indexOf('STATUS Status MANUAL_REVIEW'));
  });

  it('shows an operator the personal fields masked, and an auditor decoded', async () => {
    const operator = await caseOf(['OPERATOR'], 'INDIVIDUAL', customer.customerId);
    expect(operator.status).toBe(200);
    const view = caseViewSchema.parse(operator.body);
    expect(view.personalDataMasked).toBe(true);
    const fields = fieldsOf(view);
    for (const name of ['firstName', 'lastName', 'dateOfBirth', 'nationality', 'address', 'email', 'phone']) expect(fields[name]).toEqual({ value: null, masked: true });
    expect(fields.status).toEqual({ value: 'MANUAL_REVIEW', masked: false });
    for (const personal of ['Rosalind', 'Market Street', '1990-04-15', customer.email]) expect(JSON.stringify(operator.body)).not.toContain(personal);
    // What the operator needs to route the case is still there.
    expect(view.pendingDecision?.kind).toBe('KYC');
    expect(view.findings).toHaveLength(1);

    const auditor = caseViewSchema.parse((await caseOf(['AUDITOR'], 'INDIVIDUAL', customer.customerId)).body);
    expect(auditor.personalDataMasked).toBe(false);
    expect(fieldsOf(auditor).firstName).toEqual({ value: 'Rosalind', masked: false });
  });

  it('answers the document inline for compliance and audit, with the headers that keep it inert, and refuses operators', async () => {
    for (const roles of [['COMPLIANCE_OFFICER'], ['AUDITOR']] as StaffRole[][]) {
      const res = await content(roles, `/api/v2.1/admin/documents/${passport.documentId}/content`);
      expect(res.status).toBe(200);
      expect(res.bytes.equals(passport.bytes)).toBe(true);
      expect(Object.fromEntries([...res.headers].filter(([name]) => SECURITY_HEADERS.includes(name)))).toEqual({
        'content-type': 'image/png',
        'content-disposition': `inline; filename="passport.png"; filename*=UTF-8''passport.png`,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
        'cross-origin-resource-policy': 'same-origin',
        'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; plugin-types application/pdf; sandbox",
        'repr-digest': `sha-256=:${Buffer.from(sha256(passport.bytes), 'hex').toString('base64')}:`,
      });
    }
    expect((await content(['OPERATOR'], `/api/v2.1/admin/documents/${passport.documentId}/content`)).status).toBe(403);
    expect((await content(['COMPLIANCE_OFFICER'], `/api/v2.1/admin/documents/doc_${'0'.repeat(24)}/content`)).status).toBe(404);
  });

  it('shows the document as a case of its own, with the PUT status route pending', async () => {
    const res = await caseOf(['COMPLIANCE_OFFICER'], 'DOCUMENT', passport.documentId);
    expect(res.status).toBe(200);
    const view = caseViewSchema.parse(res.body);
    expect(view).toMatchObject({ status: 'UPLOADED', subject: { type: 'DOCUMENT' }, ownership: null });
    expect(fieldsOf(view)).toMatchObject({
      documentType: { value: 'PASSPORT', masked: false },
      fileName: { value: 'passport.png', masked: false },
      customerId: { value: customer.customerId, masked: false },
    });
    expect(view.documents[0]?.documentId).toBe(passport.documentId);
    expect(view.pendingDecision).toEqual({ kind: 'DOCUMENT', method: 'PUT', path: `/api/v2.1/admin/documents/${passport.documentId}/status`, decisions: ['ACCEPTED', 'REJECTED', 'REUPLOAD_REQUESTED'] });
    expect(view.temporal?.workflowId).toBe(`onboarding/${strictTenant.tenantId}/${customer.customerId}`);
  });

  it('puts the decision made through the pending route on the timeline, after the review, and then shows nothing pending', async () => {
    const officer = await session('COMPLIANCE_OFFICER');
    const before = caseViewSchema.parse((await caseOf(['COMPLIANCE_OFFICER'], 'INDIVIDUAL', customer.customerId)).body);
    const pending = before.pendingDecision!;
    const decided = await http(h.api.url, pending.method, pending.path, { body: { decision: 'APPROVE', reason: 'Watchlist hit is a namesake' }, headers: officer.headers });
    expect(decided.status).toBe(200);

    const after = caseViewSchema.parse((await caseOf(['COMPLIANCE_OFFICER'], 'INDIVIDUAL', customer.customerId)).body);
    expect(after).toMatchObject({ status: 'KYC_APPROVED', pendingDecision: null });
    expectOrdered(after.timeline);
    const decision = after.timeline.findIndex((entry) => entry.kind === 'DECISION');
    expect(after.timeline[decision]).toMatchObject({ label: 'KYC check: APPROVED', actor: await staffActorLabel(h), reason: 'Watchlist hit is a namesake' });
    expect(decision).toBeGreaterThan(after.timeline.findIndex((entry) => entry.label === 'Status MANUAL_REVIEW'));
    expect(after.findings[0]).toMatchObject({ status: 'APPROVED', completedAt: expect.any(String) });

    // The document's own decision goes through its pending route too, and lands on the document case's timeline.
    const document = caseViewSchema.parse((await caseOf(['COMPLIANCE_OFFICER'], 'DOCUMENT', passport.documentId)).body).pendingDecision!;
    expect((await http(h.api.url, document.method, document.path, { body: { status: 'ACCEPTED' }, headers: officer.headers })).status).toBe(200);
    const reviewed = caseViewSchema.parse((await caseOf(['COMPLIANCE_OFFICER'], 'DOCUMENT', passport.documentId)).body);
    expect(reviewed).toMatchObject({ status: 'ACCEPTED', pendingDecision: null });
    const uploader = (await h.db('document_status_history').where({ document_id: passport.documentId, status: 'UPLOADED' }).first()).actor;
    expect(reviewed.timeline.map((entry) => [entry.kind, entry.label, entry.actor])).toEqual([
      ['DOCUMENT', 'PASSPORT uploaded (passport.png)', uploader],
      ['DECISION', 'PASSPORT (passport.png): ACCEPTED', await staffActorLabel(h)],
    ]);
  });

  it('answers 404 for unknown subjects and a subject of another type, 400 for an unknown case type', async () => {
    expect((await caseOf(['COMPLIANCE_OFFICER'], 'INDIVIDUAL', `cust_${'0'.repeat(24)}`)).status).toBe(404);
    expect((await caseOf(['COMPLIANCE_OFFICER'], 'ORGANIZATION', customer.customerId)).status).toBe(404);
    expect((await caseOf(['COMPLIANCE_OFFICER'], 'DOCUMENT', `doc_${'0'.repeat(24)}`)).status).toBe(404);
    const unknownType = await caseOf(['COMPLIANCE_OFFICER'], 'PARCEL', customer.customerId);
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.details).toEqual([expect.objectContaining({ field: 'caseType' })]);
  });

  it('refuses other roles (403) and other credentials (401)', async () => {
    const tenantAdmin = await staffSession(h, ['TENANT_ADMIN'], { tenantId: strictTenant.tenantId });
    const refused = await tenantAdmin.call('GET', `/api/v2.1/admin/cases/INDIVIDUAL/${customer.customerId}`);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ error: 'FORBIDDEN', message: 'Insufficient permissions' });
    const tenantAdminContent = await fetch(`${h.api.url}/api/v2.1/admin/documents/${passport.documentId}/content`, { headers: tenantAdmin.headers });
    expect(tenantAdminContent.status).toBe(403);
    expect((await strictTenant.call('GET', `/api/v2.1/admin/cases/INDIVIDUAL/${customer.customerId}`)).status).toBe(401);
  });
});

describe('an individual registered through v2 with tax ids', () => {
  it('shows tax ids masked to the last four characters for everyone, and the phone decoded only for compliance', async () => {
    const email = `maria.${randomBytes(4).toString('hex')}@example.com`;
    const registered = await expectStatus(
      plainTenant.call('POST', '/v2/customers/individual', {
        verification_type: 'STANDARD',
        basic_info: {
          first_name: 'Maria', last_name: 'Garcia', dob: '1990-04-15', email, phone: '+14155552671', country_of_residence: 'USA',
          primary_nationality: 'USA', gender: 'FEMALE', tax_info: [{ country_code: 'USA', document_type: 'SSN', document_id: '123-45-6789' }],
        },
        address: { street_line_1: '9 Mission Street', city: 'San Francisco', subdivision_code: 'US-CA', postal_code: '94105', country: 'USA' },
        financial_profile: {
          employment_status: 'EMPLOYED', occupation_id: 42, purpose_id: 3, purpose_remarks: 'Personal remittances to family',
          source_of_funds_description: 'Monthly salary from employment', source_of_fund_ids: [1, 5], monthly_volume_usd: 5000,
        },
      }),
      201,
    );
    const customerId = registered.data.customer_id as string;
    const officer = caseViewSchema.parse((await caseOf(['COMPLIANCE_OFFICER'], 'INDIVIDUAL', customerId)).body);
    expect(fieldsOf(officer)).toMatchObject({
      taxIds: { value: 'USA SSN ****6789', masked: true },
      phone: { value: '+14155552671', masked: false },
      address: { value: '9 Mission Street, 94105 San Francisco, US-CA, USA', masked: false },
    });
    // Nothing waits on staff yet: the case is viewable with no decision pending.
    expect(officer.pendingDecision).toBeNull();
    const operator = caseViewSchema.parse((await caseOf(['OPERATOR'], 'INDIVIDUAL', customerId)).body);
    expect(fieldsOf(operator)).toMatchObject({ taxIds: { value: 'USA SSN ****6789', masked: true }, phone: { value: null, masked: true } });
    for (const body of [officer, operator]) expect(JSON.stringify(body)).not.toContain('123-45-6789');
  });
});

describe('claims and proposals on a case', () => {
  it("shows the live claim and the open proposal as the viewer's or another's, and both on the timeline", async () => {
    const customer = await readyForKyc(h, plainTenant, { firstName: 'Claire', lastName: 'Review' });
    await expectStatus(plainTenant.call('POST', `${customer.path}/verification`), 202);
    await waitForStatus(plainTenant, customer.path, 'MANUAL_REVIEW');
    const officer = await session('COMPLIANCE_OFFICER');
    const auditor = await session('AUDITOR');
    // The claim and four-eyes routes are another part of the back office; here their rows are written as they would.
    const base = { tenant_id: plainTenant.tenantId, case_type: 'INDIVIDUAL', subject_id: customer.customerId };
    await h.db('review_claims').insert({ ...base, staff_id: officer.staffId, expires_at: h.db.raw("now() + interval '30 minutes'") });
    await h.db('review_proposals').insert([
      { ...base, id: `rp_${randomBytes(8).toString('hex')}`, decision_kind: 'KYC', kind: 'ESCALATION', decision: null, reason: 'Needs a second look', proposed_by_staff_id: auditor.staffId, created_at: h.db.raw("now() - interval '2 minutes'"), resolved_at: h.db.raw("now() - interval '1 minute'"), resolved_by_staff_id: officer.staffId, outcome: 'DECIDED', resolution_reason: 'Looked again' },
      { ...base, id: `rp_${randomBytes(8).toString('hex')}`, decision_kind: 'KYC', kind: 'FOUR_EYES', decision: 'REJECT', reason: 'Watchlist hit confirmed', proposed_by_staff_id: officer.staffId },
    ]);

    const mine = caseViewSchema.parse((await caseOf(['COMPLIANCE_OFFICER'], 'INDIVIDUAL', customer.customerId)).body);
    expect(mine.claim).toMatchObject({ staffId: officer.staffId, staffEmail: officer.email, mine: true });
    expect(mine.proposal).toMatchObject({ kind: 'FOUR_EYES', decision: 'REJECT', reason: 'Watchlist hit confirmed', proposedBy: `staff:${officer.staffId}`, mine: true });
    const theirs = caseViewSchema.parse((await caseOf(['AUDITOR'], 'INDIVIDUAL', customer.customerId)).body);
    expect([theirs.claim?.mine, theirs.proposal?.mine]).toEqual([false, false]);

    expectOrdered(mine.timeline);
    const entries = mine.timeline.filter((entry) => entry.kind === 'PROPOSAL' || entry.kind === 'CLAIM').map(({ kind, label, actor, reason }) => ({ kind, label, actor, reason }));
    // The claim was written before the four-eyes proposal, so it comes first.
    expect(entries).toEqual([
      { kind: 'PROPOSAL', label: 'Escalation', actor: `staff:${auditor.staffId}`, reason: 'Needs a second look' },
      { kind: 'PROPOSAL', label: 'Escalation DECIDED', actor: `staff:${officer.staffId}`, reason: 'Looked again' },
      { kind: 'CLAIM', label: `Claimed until ${mine.claim!.expiresAt}`, actor: `staff:${officer.staffId}`, reason: null },
      { kind: 'PROPOSAL', label: 'Four-eyes proposal: REJECT', actor: `staff:${officer.staffId}`, reason: 'Watchlist hit confirmed' },
    ]);
  });
});


