/**
 * The case page of an organization in review, on the real stack: a representative owning 40 %, a company owning
 * 60 % held wholly by a person (a UBO up the chain), a director the KYC sandbox rejects. Ownership and UBOs as the
 * tenant's routes report them, each person's verification state as the onboarding view shows it, the findings,
 * persons masked for operators, and documents inline (PDF without a sandbox) or as an attachment (WebP). Then a
 * UBO who supplied their details after an invitation: sealed at rest, decoded on the case page for compliance only.
 */
import { caseViewSchema } from '../../api/review/schemas';
import { startHarness, type Harness } from '../support/harness';
import { upload } from '../support/documents';
import { invitationCodeIn } from '../support/identity';
import { waitForEmails } from '../support/inbox';
import { PERSON_PROFILE } from '../support/journey';
import { expectStatus, fullPerson, readyForKyb, registerOrganization, uploadCertificate, verifyAndConsent, waitForOnboarding, waitForOrganization } from '../support/organization-journey';
import { companyShare } from '../support/organizations';
import { caseClient, expectOrdered, fieldsOf, webpFile } from '../support/review-case';
import { createTenant, type TenantSession } from '../support/tenant-client';

let h: Harness;
let plainTenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('review_case_org');
  plainTenant = await createTenant(h, 'Plain Bank');
});
afterAll(() => h?.close());

const { caseOf, content } = caseClient(() => h);

describe('an organization in review with a company shareholder', () => {
  let org: Awaited<ReturnType<typeof registerOrganization>>;
  let ids: { representative: string; holdco: string; alice: string; dora: string };
  let certificateId: string;
  let webp: { documentId: string; bytes: Buffer };

  beforeAll(async () => {
    org = await registerOrganization(plainTenant);
    await verifyAndConsent(h, plainTenant, org);
    const rep = org.body.representative;
    const repDetails = { ...fullPerson(rep.firstName, rep.lastName), email: rep.email };
    const representative = await expectStatus(plainTenant.call('POST', `${org.path}/directors`, repDetails), 201);
    // A director the KYC sandbox rejects: the organization goes to staff.
    const dora = await expectStatus(plainTenant.call('POST', `${org.path}/directors`, fullPerson('Dora', 'Reject')), 201);
    await expectStatus(plainTenant.call('POST', `${org.path}/shareholders`, { kind: 'PERSON', ...repDetails, ownershipPercent: 40 }), 201);
    const holdco = await expectStatus(plainTenant.call('POST', `${org.path}/shareholders`, companyShare('Holdco GmbH', 60)), 201);
    const alice = await expectStatus(plainTenant.call('POST', `${org.path}/shareholders`, { kind: 'PERSON', ...fullPerson('Alice'), ownershipPercent: 100, ownerOf: holdco.partyId }), 201);
    ids = { representative: representative.partyId, holdco: holdco.partyId, alice: alice.partyId, dora: dora.partyId };
    certificateId = (await uploadCertificate(h, plainTenant, org)).documentId;
    const bytes = webpFile();
    webp = { documentId: (await expectStatus(upload(h, plainTenant, org.id, { bytes, fileName: 'office.webp', contentType: 'image/webp', fields: { type: 'PROOF_OF_BUSINESS_ADDRESS' } }), 201)).documentId, bytes };
    await expectStatus(plainTenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`), 202);
    await waitForOrganization(plainTenant, org, 'MANUAL_REVIEW', 45_000);
  }, 90_000);

  it("shows the ownership and UBOs the tenant's routes report, each person's verification state, and the review route", async () => {
    const res = await caseOf(['COMPLIANCE_OFFICER'], 'ORGANIZATION', org.id);
    expect(res.status).toBe(200);
    const view = caseViewSchema.parse(res.body);
    expect(view).toMatchObject({ status: 'MANUAL_REVIEW', fourEyes: false, personalDataMasked: false });
    expect(view.pendingDecision).toEqual({ kind: 'ORGANIZATION_REVIEW', method: 'POST', path: `/api/v2.1/admin/organizations/${org.id}/review-decision`, decisions: ['APPROVE', 'REJECT'] });
    expect(fieldsOf(view)).toMatchObject({
      legalName: { value: org.body.businessName, masked: false },
      registrationNumber: { value: org.body.registrationNumber, masked: false },
      countryOfIncorporation: { value: org.body.countryOfIncorporation, masked: false },
      representativeName: { value: `${org.body.representative.firstName} ${org.body.representative.lastName}`, masked: false },
      contactEmail: { value: org.body.contactEmail, masked: false },
    });

    const ownership = view.ownership!;
    expect(ownership.thresholdPercent).toBe(25);
    expect(ownership.holdings).toEqual(expect.arrayContaining([
      { ownerId: ids.representative, ownerName: `${org.body.representative.firstName} ${org.body.representative.lastName}`, ownerKind: 'PERSON', ownedId: org.id, percent: 40 },
      { ownerId: ids.holdco, ownerName: 'Holdco GmbH', ownerKind: 'COMPANY', ownedId: org.id, percent: 60 },
      { ownerId: ids.alice, ownerName: 'Alice Example', ownerKind: 'PERSON', ownedId: ids.holdco, percent: 100 },
    ]));
    expect(ownership.holdings).toHaveLength(3);
    const tenantUbos = await expectStatus(plainTenant.call('GET', `${org.path}/ubos`), 200);
    expect(ownership.ubos.map(({ personId, effectivePercent }) => ({ personId, effectivePercent }))).toEqual(
      tenantUbos.data.map((ubo: { partyId: string; effectiveOwnershipPercent: number }) => ({ personId: ubo.partyId, effectivePercent: ubo.effectiveOwnershipPercent })),
    );
    expect(ownership.ubos.map((ubo) => ubo.personId).sort()).toEqual([ids.alice, ids.representative].sort());

    const onboarding = await expectStatus(plainTenant.call('GET', `${org.path}/onboarding`), 200);
    const people = Object.fromEntries(ownership.people.map((person) => [person.personId, person]));
    for (const person of onboarding.persons as Array<{ partyId: string; status: string }>) expect(people[person.partyId]?.verificationStatus).toBe(person.status);
    expect(people[ids.dora]).toMatchObject({ name: 'Dora Reject', roles: ['DIRECTOR'], verificationStatus: 'REJECTED' });
    expect(people[ids.alice]).toMatchObject({ roles: ['SHAREHOLDER', 'UBO'], verificationStatus: 'APPROVED' });
    expect(people[ids.holdco]).toBeUndefined();

    expect(view.findings).toEqual(expect.arrayContaining([
      expect.objectContaining({ source: 'IDENTITY', subjectName: 'Dora Reject', status: 'REJECTED', reasons: ['IDENTITY_NOT_VERIFIED'] }),
      expect.objectContaining({ source: 'IDENTITY', subjectName: 'Alice Example', status: 'APPROVED' }),
    ]));
    expectOrdered(view.timeline);
    expect(view.timeline.map((entry) => entry.label)).toEqual(expect.arrayContaining([`Identity check of ${ids.dora}: REJECTED`, 'Status MANUAL_REVIEW']));
  });

  it('masks the persons for an operator but keeps the company and the structure', async () => {
    const view = caseViewSchema.parse((await caseOf(['OPERATOR'], 'ORGANIZATION', org.id)).body);
    const fields = fieldsOf(view);
    expect(fields.legalName).toEqual({ value: org.body.businessName, masked: false });
    for (const name of ['representativeName', 'representativeEmail', 'contactEmail', 'contactPhone']) expect(fields[name]).toEqual({ value: null, masked: true });
    expect(view.ownership!.ubos.map((ubo) => ubo.name).sort()).toEqual([`Person ${ids.alice} (masked)`, `Person ${ids.representative} (masked)`].sort());
    expect(view.ownership!.holdings.find((holding) => holding.ownerId === ids.holdco)?.ownerName).toBe('Holdco GmbH');
    expect(JSON.stringify(view)).not.toMatch(/Alice|Dora|Example/);
  });

  it('answers a PDF inline without a sandbox (Chromium refuses a sandboxed PDF) and a WebP as an attachment', async () => {
    const view = caseViewSchema.parse((await caseOf(['AUDITOR'], 'ORGANIZATION', org.id)).body);
    expect(view.documents.map((d) => [d.documentId, d.contentType])).toEqual([[certificateId, 'application/pdf'], [webp.documentId, 'image/webp']]);
    const pdf = await content(['AUDITOR'], view.documents[0]!.contentPath);
    expect(pdf.status).toBe(200);
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.headers.get('content-disposition')).toMatch(/^inline; filename="certificate\.pdf"/);
    expect(pdf.headers.get('content-security-policy')).toBe("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; plugin-types application/pdf");
    const other = await content(['COMPLIANCE_OFFICER'], view.documents[1]!.contentPath);
    expect(other.bytes.equals(webp.bytes)).toBe(true);
    expect(other.headers.get('content-disposition')).toMatch(/^attachment; filename="office\.webp"/);
    expect(other.headers.get('content-security-policy')).toMatch(/; sandbox$/);
    expect(other.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });
});

describe('a person who supplied their details for the identity check', () => {
  it('shows what they supplied (sealed at rest) decoded to a compliance officer and masked to an operator', async () => {
    const org = await readyForKyb(h, plainTenant);
    // The representative's holding goes to a person the tenant knows by name and e-mail only: KYB invites her.
    await expectStatus(plainTenant.call('DELETE', `${org.path}/shareholders/${org.representativeId}`), 204);
    const email = `ulla.${Date.now()}@example.com`;
    const ulla = await expectStatus(plainTenant.call('POST', `${org.path}/shareholders`, { kind: 'PERSON', firstName: 'Ulla', lastName: 'Example', email, ownershipPercent: 100 }), 201);
    await expectStatus(plainTenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`), 202);
    await waitForOnboarding(plainTenant, org, (body) => body.persons?.some((p: { partyId: string; status: string }) => p.partyId === ulla.partyId && p.status === 'AWAITING_DETAILS'));

    const waiting = caseViewSchema.parse((await caseOf(['COMPLIANCE_OFFICER'], 'ORGANIZATION', org.id)).body);
    const before = waiting.ownership!.people.find((person) => person.personId === ulla.partyId)!;
    expect(before).toMatchObject({ name: 'Ulla Example', verificationStatus: 'AWAITING_DETAILS' });
    expect(fieldsOf(before)).toMatchObject({ email: { value: email, masked: false }, dateOfBirth: { value: null, masked: false }, address: { value: null, masked: false } });

    const [invitation] = await waitForEmails(h.infra.inboxUrl, email);
    await expectStatus(plainTenant.call('POST', `/api/v2.1/customer/${org.id}/persons/${ulla.partyId}/details`, { invitationCode: invitationCodeIn(invitation!.text), profile: PERSON_PROFILE }), 200);
    const stored = await h.db('identity_subject_details').where({ customer_id: org.id, subject_id: ulla.partyId }).first();
    expect(stored.details_encrypted).not.toContain('Market Street');

    const officer = caseViewSchema.parse((await caseOf(['COMPLIANCE_OFFICER'], 'ORGANIZATION', org.id)).body);
    expect(fieldsOf(officer.ownership!.people.find((person) => person.personId === ulla.partyId)!)).toMatchObject({
      dateOfBirth: { value: '1990-04-15', masked: false },
      nationality: { value: 'USA', masked: false },
      address: { value: '123 Market Street, 94103 San Francisco, US-CA, USA', masked: false },
    });
    const operator = caseViewSchema.parse((await caseOf(['OPERATOR'], 'ORGANIZATION', org.id)).body);
    const masked = operator.ownership!.people.find((person) => person.personId === ulla.partyId)!;
    expect(masked.name).toBe(`Person ${ulla.partyId} (masked)`);
    for (const field of masked.fields.filter((f) => f.name !== 'jobTitle')) expect(field).toMatchObject({ value: null, masked: true });
    expect(JSON.stringify(operator)).not.toMatch(/Market Street|1990-04-15|Ulla/);
  });
});

describe("an organization whose KYB check is in the provider's manual review", () => {
  it('names the KYB decision route while the organization is still onboarding, with the KYB finding', async () => {
    const org = await readyForKyb(h, plainTenant, { businessName: `Review Trading ${Date.now().toString(36)}` });
    await expectStatus(plainTenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`), 202);
    const deadline = Date.now() + 30_000;
    let view = caseViewSchema.parse((await caseOf(['COMPLIANCE_OFFICER'], 'ORGANIZATION', org.id)).body);
    while (view.pendingDecision === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      view = caseViewSchema.parse((await caseOf(['COMPLIANCE_OFFICER'], 'ORGANIZATION', org.id)).body);
    }
    expect(view.status).toBe('ONBOARDING');
    expect(view.pendingDecision).toEqual({ kind: 'KYB', method: 'POST', path: `/api/v2.1/admin/organizations/${org.id}/kyb-decision`, decisions: ['APPROVE', 'REJECT'] });
    expect(view.findings.filter((finding) => finding.source === 'KYB')).toEqual([
      expect.objectContaining({ provider: h.config.KYB_PROVIDER_NAME, status: 'MANUAL_REVIEW', completedAt: null }),
    ]);
  });
});
