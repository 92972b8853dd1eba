/**
 * Provider callbacks and staff decisions reach the workflow that runs the verification: a child by the
 * workflow id stored with its verification (an individual's too, since individual-kyc-child); rows without one
 * (an individual's check from before that patch) reach its onboarding. `Silent` subjects are never decided by the sandbox, so every decision here comes from this file.
 */
import { startHarness, type Harness } from '../support/harness';
import { temporal } from '@temporalio/proto';
import { deliverCallback, organizationRow, partyBook, startIdentityCheck, staffDecision, submittedVerification, waitForCheck } from '../support/identity';
import { PERSON_PROFILE, readyForKyc, tenantWithSettings, waitForStatus } from '../support/journey';
import { uniqueEmail, type TenantSession } from '../support/tenant-client';
import { BODY_REVIEWER, staffActorLabel } from '../support/staff-actor';

const parties = partyBook();
let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('identity_callbacks', { activityDeps: { partyReader: parties } });
  tenant = await tenantWithSettings(h, {});
});
afterAll(() => h?.close());

/** A Silent director with everything the provider needs, so the check goes straight to the provider. */
function silentDirector(orgId: string) {
  return parties.add(tenant.tenantId, orgId, { firstName: 'Sam', lastName: 'Silent', email: uniqueEmail('director'), dateOfBirth: '1980-01-02', countryOfResidence: 'GBR' });
}

it('two children of one organization running at once each get their own callback', async () => {
  const orgId = await organizationRow(h, tenant.tenantId);
  const [first, second] = [silentDirector(orgId), silentDirector(orgId)];
  const start = (id: string) => startIdentityCheck(h, { tenantId: tenant.tenantId, customerId: orgId, subject: { type: 'PARTY', id } });
  const [a, b] = await Promise.all([start(first), start(second)]);
  const [checkA, checkB] = await Promise.all([submittedVerification(h, a.workflowId), submittedVerification(h, b.workflowId)]);
  expect(checkA.id).not.toBe(checkB.id);

  const delivered = await Promise.all([
    deliverCallback(h, { reference: checkB.id, checkId: checkB.check_id, status: 'REJECTED', reason: 'DOCUMENT_EXPIRED' }),
    deliverCallback(h, { reference: checkA.id, checkId: checkA.check_id, status: 'APPROVED' }),
  ]);
  expect(delivered.map((r) => r.status)).toEqual([202, 202]);
  expect(await a.result()).toMatchObject({ status: 'APPROVED', subject: { id: first }, verificationId: checkA.id });
  expect(await b.result()).toMatchObject({ status: 'REJECTED', reason: 'DOCUMENT_EXPIRED', subject: { id: second }, verificationId: checkB.id });
});

it('a callback delivered twice, then contradicted, has the first one effect', async () => {
  const orgId = await organizationRow(h, tenant.tenantId);
  const handle = await startIdentityCheck(h, { tenantId: tenant.tenantId, customerId: orgId, subject: { type: 'PARTY', id: silentDirector(orgId) } });
  const check = await submittedVerification(h, handle.workflowId);
  const approve = { reference: check.id, checkId: check.check_id, status: 'APPROVED' };
  expect((await deliverCallback(h, approve)).status).toBe(202);
  expect((await deliverCallback(h, approve)).status).toBe(202);
  expect((await deliverCallback(h, { ...approve, status: 'REJECTED', reason: 'LATE' })).status).toBe(202);
  expect(await handle.result()).toMatchObject({ status: 'APPROVED' });
  const { events } = await handle.fetchHistory();
  const recorded = (events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordKycOutcome');
  expect(recorded).toHaveLength(1);
  expect(await h.db('kyc_verifications').where({ id: check.id, tenant_id: tenant.tenantId }).first()).toMatchObject({ status: 'APPROVED', reason: null });
});

it("an individual's check, run by its child (workflow id stored), gets staff decisions through the verification route, and its onboarding follows", async () => {
  const customer = await readyForKyc(h, tenant, { lastName: 'Review' });
  expect((await tenant.call('POST', `${customer.path}/verification`)).status).toBe(202);
  await waitForStatus(tenant, customer.path, 'MANUAL_REVIEW');
  const row = await h.db('kyc_verifications').where({ tenant_id: tenant.tenantId, customer_id: customer.customerId }).first();
  const childId = `onboarding/${tenant.tenantId}/${customer.customerId}/person/${customer.customerId}`;
  expect(row).toMatchObject({ workflow_id: childId, subject_type: 'CUSTOMER', subject_id: customer.customerId, status: 'MANUAL_REVIEW' });
  // The body cannot name who decided: a reviewer field is a 400 naming it, and the check stays in review.
  const named = await staffDecision(h, row.id, { decision: 'APPROVE', reason: 'Cleared after review', ...BODY_REVIEWER });
  expect(named.status).toBe(400);
  expect(named.body.details).toEqual([{ field: 'reviewer', message: 'Unknown field' }]);
  expect(await h.db('kyc_verifications').where({ id: row.id, tenant_id: tenant.tenantId }).first()).toMatchObject({ status: 'MANUAL_REVIEW', reviewer: null });
  const decided = await staffDecision(h, row.id, { decision: 'APPROVE', reason: 'Cleared after review' });
  expect(decided.status).toBe(200);
  await waitForStatus(tenant, customer.path, 'KYC_APPROVED');
  expect(await h.db('kyc_verifications').where({ id: row.id, tenant_id: tenant.tenantId }).first()).toMatchObject({ status: 'APPROVED', reviewer: (await staffActorLabel(h)) });
});

it('a check the provider refuses (4xx: a date of birth it cannot read) goes to manual review at once, not retried', async () => {
  const orgId = await organizationRow(h, tenant.tenantId);
  const partyId = parties.add(tenant.tenantId, orgId, { firstName: 'Una', lastName: 'Doe', email: uniqueEmail('ubo'), dateOfBirth: '31/12/1980', countryOfResidence: 'FRA' });
  const handle = await startIdentityCheck(h, { tenantId: tenant.tenantId, customerId: orgId, subject: { type: 'PARTY', id: partyId }, role: 'UBO' });
  const review = await waitForCheck(handle, 'MANUAL_REVIEW');
  expect(review.reason).toBe('The KYC provider could not take the check');
  const { events } = await handle.fetchHistory();
  const failed = (events ?? []).find((e) => e.activityTaskFailedEventAttributes);
  expect(failed?.activityTaskFailedEventAttributes?.retryState).toBe(temporal.api.enums.v1.RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE);
  await handle.terminate('test done');
});

describe('refusals at the edge', () => {
  it('a staff decision on an unknown verification is 404, a malformed one 400, one without the admin token 401', async () => {
    const unknown = await staffDecision(h, `ver_${'0'.repeat(32)}`, { decision: 'APPROVE', reason: 'fine' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'NOT_FOUND' });
    const malformed = await staffDecision(h, `ver_${'0'.repeat(32)}`, { decision: 'MAYBE', reason: 'x' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe('VALIDATION_ERROR');
    const asTenant = await tenant.call('POST', `/api/v2.1/admin/verifications/ver_${'0'.repeat(32)}/decision`, { decision: 'APPROVE', reason: 'fine' });
    expect(asTenant.status).toBe(401);
  });

  it('a staff decision on a check the provider is still deciding is 409 and changes nothing', async () => {
    const orgId = await organizationRow(h, tenant.tenantId);
    const handle = await startIdentityCheck(h, { tenantId: tenant.tenantId, customerId: orgId, subject: { type: 'PARTY', id: silentDirector(orgId) } });
    const check = await submittedVerification(h, handle.workflowId);
    const early = await staffDecision(h, check.id, { decision: 'APPROVE', reason: 'too early' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: 'INVALID_STATE', details: [{ field: 'status', message: 'IN_PROGRESS' }] });
    expect(await h.db('kyc_verifications').where({ id: check.id, tenant_id: tenant.tenantId }).first()).toMatchObject({ status: 'IN_PROGRESS', reviewer: null });
    await handle.terminate('test done');
  });

  it('details without an outstanding invitation are 409, for an unknown customer 404, malformed 400; nothing is stored', async () => {
    const orgId = await organizationRow(h, tenant.tenantId);
    const partyId = silentDirector(orgId);
    const body = { invitationCode: 'AAAA-BBBB-CCCC', profile: PERSON_PROFILE };
    const uninvited = await tenant.call('POST', `/api/v2.1/customer/${orgId}/persons/${partyId}/details`, body);
    expect(uninvited.status).toBe(409);
    expect(uninvited.body).toMatchObject({ error: 'INVALID_STATE' });
    const unknown = await tenant.call('POST', `/api/v2.1/customer/org_${'0'.repeat(24)}/persons/${partyId}/details`, body);
    expect(unknown.status).toBe(404);
    const badSubject = await tenant.call('POST', `/api/v2.1/customer/${orgId}/persons/not-an-id/details`, body);
    expect(badSubject.status).toBe(400);
    expect(badSubject.body.details.map((d: { field: string }) => d.field)).toContain('subjectId');
    const badBody = await tenant.call('POST', `/api/v2.1/customer/${orgId}/persons/${partyId}/details`, { invitationCode: '?', profile: { ...PERSON_PROFILE, dob: 'yesterday' } });
    expect(badBody.status).toBe(400);
    expect(badBody.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['invitationCode', 'profile.dob']));
    expect(await h.db('identity_subject_details').where({ tenant_id: tenant.tenantId, customer_id: orgId })).toEqual([]);
  });
});
