/**
 * The identity-verification child on the real dev server, started as a parent would start it, for each of the
 * sandbox's outcomes, with subjects read by reference: a registered individual (CUSTOMER) and parties of an
 * organization (PARTY) whose missing details the person supplies after an invitation e-mail.
 */
import { fieldCipherFor } from '../../common/field-encryption';
import { IDENTITY_DETAILS_PURPOSE, identityDetailsContext } from '../../common/identity-details';
import { identityVerificationWorkflowId, type IdentityOutcome } from '../../common/identity-contract';
import { startHarness, type Harness } from '../support/harness';
import { emailsTo, waitForEmails } from '../support/inbox';
import { invitationCodeIn, organizationRow, partyBook, pollsIn, staffDecision, startIdentityCheck, submittedVerification, waitForCheck } from '../support/identity';
import { PERSON_PROFILE, readyForKyc, tenantWithSettings } from '../support/journey';
import { uniqueEmail, type TenantSession } from '../support/tenant-client';
import { staffActorLabel } from '../support/staff-actor';

const parties = partyBook();
let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('identity', { activityDeps: { partyReader: parties } });
  tenant = await tenantWithSettings(h, {});
});
afterAll(() => h?.close());

const detailsPath = (customerId: string, subjectId: string) => `/api/v2.1/customer/${customerId}/persons/${subjectId}/details`;

async function customerSubject(lastName: string) {
  const customer = await readyForKyc(h, tenant, { lastName });
  const input = { tenantId: tenant.tenantId, customerId: customer.customerId, subject: { type: 'CUSTOMER' as const, id: customer.customerId }, role: 'INDIVIDUAL' as const };
  return { customer, handle: await startIdentityCheck(h, input) };
}

describe('a registered individual (CUSTOMER subject, details from its profile)', () => {
  it('is approved by the provider: the child returns APPROVED, the row names the child, the search attributes say who and where', async () => {
    const { customer, handle } = await customerSubject('Doe');
    const outcome: IdentityOutcome = await handle.result();
    expect(outcome).toMatchObject({ status: 'APPROVED', role: 'INDIVIDUAL', subject: { type: 'CUSTOMER', id: customer.customerId } });
    const row = await h.db('kyc_verifications').where({ id: outcome.verificationId, tenant_id: tenant.tenantId }).first();
    expect(row).toMatchObject({ status: 'APPROVED', subject_type: 'CUSTOMER', subject_id: customer.customerId, workflow_id: handle.workflowId });
    expect(handle.workflowId).toBe(`onboarding/${tenant.tenantId}/${customer.customerId}/person/${customer.customerId}`);
    const { searchAttributes } = await handle.describe();
    expect(searchAttributes).toMatchObject({ TenantId: [tenant.tenantId], CustomerId: [customer.customerId], SubjectType: ['INDIVIDUAL'], KycStatus: ['APPROVED'] });
    // It had everything the provider needs: nobody was invited.
    expect((await emailsTo(h.infra.inboxUrl, customer.email)).map((e) => e.subject)).not.toContain('We need a few details to verify your identity');
  });

  it('is rejected by the provider: REJECTED with the provider reason', async () => {
    const { handle } = await customerSubject('Reject');
    expect(await handle.result()).toMatchObject({ status: 'REJECTED', reason: 'IDENTITY_NOT_VERIFIED' });
  });
});

describe('a party of an organization (PARTY subject)', () => {
  async function partySubject(lastName: string, policy = {}) {
    const orgId = await organizationRow(h, tenant.tenantId);
    const email = uniqueEmail('director');
    const partyId = parties.add(tenant.tenantId, orgId, { firstName: 'Dana', lastName, email });
    const handle = await startIdentityCheck(h, { tenantId: tenant.tenantId, customerId: orgId, subject: { type: 'PARTY', id: partyId }, policy });
    return { orgId, partyId, email, handle };
  }

  async function supplyDetails(party: { orgId: string; partyId: string; email: string }) {
    const [invitation] = await waitForEmails(h.infra.inboxUrl, party.email);
    return tenant.call('POST', detailsPath(party.orgId, party.partyId), { invitationCode: invitationCodeIn(invitation.text), profile: PERSON_PROFILE });
  }

  it('lacking date of birth and country, is invited by e-mail; the wait ends when the details arrive with the code, and the provider approves', async () => {
    const party = await partySubject('Doe');
    const waiting = await waitForCheck(party.handle, 'AWAITING_DETAILS');
    expect(waiting).toMatchObject({ missing: ['dateOfBirth', 'country'], invitationsSent: 1 });
    const [invitation] = await waitForEmails(h.infra.inboxUrl, party.email);
    expect(invitation.subject).toBe('We need a few details to verify your identity');
    const code = invitationCodeIn(invitation.text);

    // Only the hash of the code is kept.
    const stored = await h.db('identity_subject_details').where({ tenant_id: tenant.tenantId, customer_id: party.orgId, subject_id: party.partyId }).first();
    expect(stored.invitation_code_hash).not.toContain(code.replace(/-/g, ''));

    const wrong = await tenant.call('POST', detailsPath(party.orgId, party.partyId), { invitationCode: 'AAAA-BBBB-CCCC', profile: PERSON_PROFILE });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'VALIDATION_ERROR', details: [{ field: 'invitationCode' }] });

    const accepted = await tenant.call('POST', detailsPath(party.orgId, party.partyId), { invitationCode: code.toLowerCase(), profile: PERSON_PROFILE });
    expect(accepted.status).toBe(200);
    expect(await party.handle.result()).toMatchObject({ status: 'APPROVED', subject: { type: 'PARTY', id: party.partyId } });

    // Stored encrypted, bound to its row.
    const supplied = await h.db('identity_subject_details').where({ tenant_id: tenant.tenantId, customer_id: party.orgId, subject_id: party.partyId }).first();
    expect(supplied.details_encrypted).not.toContain(PERSON_PROFILE.dob);
    const cipher = fieldCipherFor(h.secrets, IDENTITY_DETAILS_PURPOSE);
    expect(JSON.parse(cipher.decrypt(supplied.details_encrypted, identityDetailsContext(tenant.tenantId, party.orgId, party.partyId)))).toMatchObject({ dateOfBirth: PERSON_PROFILE.dob, countryOfResidence: 'USA' });

    // The check is no longer waiting: the same code again is refused as out of step.
    const late = await tenant.call('POST', detailsPath(party.orgId, party.partyId), { invitationCode: code, profile: PERSON_PROFILE });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ error: 'INVALID_STATE' });
  });

  it('flagged for review goes to MANUAL_REVIEW, and a staff approval through the verification route approves it with who and why', async () => {
    const party = await partySubject('Review');
    expect((await supplyDetails(party)).status).toBe(200);
    const review = await waitForCheck(party.handle, 'MANUAL_REVIEW');
    expect(review.reason).toBe('POSSIBLE_WATCHLIST_MATCH');
    const decided = await staffDecision(h, review.verificationId!, { decision: 'APPROVE', reason: 'False positive: different birth date' });
    expect(decided.status).toBe(200);
    expect(decided.body).toEqual({ verificationId: review.verificationId, status: 'APPROVED' });
    expect(await party.handle.result()).toMatchObject({ status: 'APPROVED', reviewer: (await staffActorLabel(h)), reason: 'False positive: different birth date' });
    const row = await h.db('kyc_verifications').where({ id: review.verificationId, tenant_id: tenant.tenantId }).first();
    expect(row).toMatchObject({ status: 'APPROVED', reviewer: (await staffActorLabel(h)), subject_type: 'PARTY', subject_id: party.partyId });
    expect(row.decided_at).toBeInstanceOf(Date);
    // Decided once: a second decision is out of step.
    expect((await staffDecision(h, review.verificationId!, { decision: 'REJECT', reason: 'changed my mind' })).status).toBe(409);
  });

  it('never decided by the provider (Silent) is polled, then handed to manual review when the result timeout passes; staff reject it', async () => {
    const party = await partySubject('Silent', { kycResultTimeout: '3 seconds', kycFirstPollAfter: '1 second' });
    expect((await supplyDetails(party)).status).toBe(200);
    const review = await waitForCheck(party.handle, 'MANUAL_REVIEW');
    expect(review.reason).toBe('No result from the KYC provider in time');
    const row = await submittedVerification(h, party.handle.workflowId);
    expect(row.status).toBe('MANUAL_REVIEW');
    expect(await pollsIn(party.handle)).toBeGreaterThanOrEqual(2);
    expect((await staffDecision(h, review.verificationId!, { decision: 'REJECT', reason: 'Could not be verified' })).status).toBe(200);
    expect(await party.handle.result()).toMatchObject({ status: 'REJECTED', reason: 'Could not be verified' });
  });

  it('whose details never come is reminded with a fresh code and ends EXPIRED without a check', async () => {
    const party = await partySubject('Doe', { reminderAfter: '1 second', expireAfter: '3 seconds' });
    expect(await party.handle.result()).toMatchObject({ status: 'EXPIRED' });
    const emails = await waitForEmails(h.infra.inboxUrl, party.email, 2);
    expect(emails.map((e) => e.subject)).toContain('Reminder: we still need a few details to verify your identity');
    expect(new Set(emails.map((e) => invitationCodeIn(e.text))).size).toBe(emails.length);
    expect(await h.db('kyc_verifications').where({ workflow_id: party.handle.workflowId })).toEqual([]);
    const { searchAttributes } = await party.handle.describe();
    expect(searchAttributes).toMatchObject({ SubjectType: ['DIRECTOR'], KycStatus: ['EXPIRED'] });
  });

  it('with no e-mail address to invite goes to manual review with the reason', async () => {
    const orgId = await organizationRow(h, tenant.tenantId);
    const partyId = parties.add(tenant.tenantId, orgId, { firstName: 'Nora', lastName: 'Doe' });
    const handle = await startIdentityCheck(h, { tenantId: tenant.tenantId, customerId: orgId, subject: { type: 'PARTY', id: partyId }, role: 'UBO' });
    const review = await waitForCheck(handle, 'MANUAL_REVIEW');
    expect(review.reason).toMatch(/could not be invited/);
    expect(handle.workflowId).toBe(identityVerificationWorkflowId(tenant.tenantId, orgId, partyId));
    await staffDecision(h, review.verificationId!, { decision: 'REJECT', reason: 'No contact for this UBO' });
    expect(await handle.result()).toMatchObject({ status: 'REJECTED', role: 'UBO' });
  });
});
