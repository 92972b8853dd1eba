import { staffHeaders } from '../support/staff';
import { startHarness, type Harness } from '../support/harness';
import { expectKycRanInChild } from '../support/kyc-child';
import { waitForEmails } from '../support/inbox';
import { CONSENTS, PROFILE, codeIn, readyForKyc, register, tenantWithSettings, verifyEmail, waitForStatus } from '../support/journey';
import type { TenantSession } from '../support/tenant-client';
import { BODY_REVIEWER, staffActorLabel } from '../support/staff-actor';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('lifecycle');
  tenant = await tenantWithSettings(h, { resendCooldownSeconds: 1 });
});
afterAll(() => h?.close());

const subjects = async (email: string, count: number) => (await waitForEmails(h.infra.inboxUrl, email, count)).map((e) => e.subject);

it('takes an individual from registration to ACTIVE, refusing each step out of order', async () => {
  const customer = await register(tenant, { phone: '+14155552671' });
  const { path } = customer;

  const tooEarly = await tenant.call('POST', `${path}/verify-phone/send`);
  expect(tooEarly.status).toBe(409);
  expect(tooEarly.body).toEqual({
    error: 'INVALID_STATE',
    message: expect.any(String),
    details: [
      { field: 'status', message: 'PENDING_EMAIL_VERIFICATION' },
      { field: 'due', message: expect.stringContaining('EMAIL_VERIFICATION') },
    ],
  });

  const wrong = await tenant.call('POST', `${path}/verify-email`, { code: '000001' });
  expect(wrong.status).toBe(400);
  expect(wrong.body.details).toEqual([{ field: 'code', message: expect.any(String) }]);
  const verified = await verifyEmail(h, tenant, customer);
  expect(verified.status).toBe(200);
  expect(verified.body).toMatchObject({ status: 'PENDING_PHONE_VERIFICATION', due: expect.arrayContaining(['PHONE_VERIFICATION']) });

  expect((await tenant.call('POST', `${path}/verify-phone/send`)).status).toBe(202);
  const sms = await tenant.call('GET', '/api/v2.1/sandbox/sms?phone=%2B14155552671');
  const phoneCode = codeIn(sms.body.data[0].body);
  const phoneVerified = await tenant.call('POST', `${path}/verify-phone`, { code: phoneCode });
  expect(phoneVerified.body.status).toBe('PENDING_PROFILE');

  // Consents may come before the profile; KYC and activation may not come before either.
  expect((await tenant.call('POST', `${path}/consents/PRIVACY_POLICY`, { accepted: true, version: '2026-01' })).status).toBe(201);
  expect((await tenant.call('POST', `${path}/verification`)).status).toBe(409);
  expect((await tenant.call('PUT', `/v2/profile/${customer.customerId}`, PROFILE)).body.status).toBe('PENDING_CONSENTS');
  for (const type of CONSENTS) await tenant.call('POST', `${path}/consents/${type}`, { accepted: true, version: '2026-01' });
  const activationTooEarly = await tenant.call('POST', `${path}/activation`);
  expect(activationTooEarly.status).toBe(409);
  expect(activationTooEarly.body.details).toEqual([
    { field: 'status', message: 'PENDING_KYC' },
    { field: 'due', message: 'KYC' },
  ]);

  const kyc = await tenant.call('POST', `${path}/verification`);
  expect(kyc.status).toBe(202);
  expect(kyc.body).toEqual({ verificationId: expect.stringMatching(/^ver_/), status: 'KYC_IN_PROGRESS' });
  await waitForStatus(tenant, path, 'KYC_APPROVED');

  const activated = await tenant.call('POST', `${path}/activation`);
  expect(activated.status).toBe(200);
  expect(activated.body).toMatchObject({ status: 'ACTIVE', due: [] });
  expect(await subjects(customer.email, 3)).toEqual(['Your verification code', 'Your identity is verified', 'Welcome: your account is active']);

  const onboarding = await tenant.call('GET', `${path}/onboarding`);
  expect(onboarding.body.history.map((step: { status: string }) => step.status)).toEqual([
    'PENDING_EMAIL_VERIFICATION', 'PENDING_PHONE_VERIFICATION', 'PENDING_PROFILE', 'PENDING_CONSENTS', 'PENDING_KYC',
    'KYC_IN_PROGRESS', 'KYC_APPROVED', 'ACTIVE',
  ]);
  expect((await tenant.call('GET', `/api/v2.1/customer/${customer.customerId}`)).body.status).toBe('ACTIVE');
  const consents = await tenant.call('GET', `${path}/consents`);
  expect(consents.body.data.map((c: { type: string }) => c.type).sort()).toEqual([...CONSENTS].sort());
  const stored = await h.db('consents').where({ customer_id: customer.customerId, type: 'TERMS_AND_CONDITIONS' }).first();
  expect(stored).toMatchObject({ version: '2026-01', ip_address: expect.any(String), user_agent: expect.any(String) });
  expect((await tenant.call('POST', `${path}/activation`)).status).toBe(409);
});

it('throttles resends and lets only the newest code through', async () => {
  const customer = await register(tenant);
  const tooSoon = await tenant.call('POST', `${customer.path}/verify-email/resend`);
  expect(tooSoon.status).toBe(429);
  expect(tooSoon.body).toEqual({ error: 'RATE_LIMIT_EXCEEDED', message: expect.any(String), retryAfter: expect.any(Number) });
  await new Promise((resolve) => setTimeout(resolve, 1100));
  expect((await tenant.call('POST', `${customer.path}/verify-email/resend`)).status).toBe(202);
  const [first, second] = await waitForEmails(h.infra.inboxUrl, customer.email, 2);
  const stale = await tenant.call('POST', `${customer.path}/verify-email`, { code: codeIn(first.text) });
  if (codeIn(first.text) !== codeIn(second.text)) expect(stale.status).toBe(400);
  expect((await tenant.call('POST', `${customer.path}/verify-email`, { code: codeIn(second.text) })).status).toBe(200);
});

it('allows at most five attempts per code and refuses an expired code', async () => {
  const customer = await register(tenant);
  const [email] = await waitForEmails(h.infra.inboxUrl, customer.email);
  const right = codeIn(email.text);
  const wrongCode = right === '123456' ? '654321' : '123456';
  for (let i = 0; i < 5; i += 1) expect((await tenant.call('POST', `${customer.path}/verify-email`, { code: wrongCode })).status).toBe(400);
  const exhausted = await tenant.call('POST', `${customer.path}/verify-email`, { code: right });
  expect(exhausted.status).toBe(400);
  expect(exhausted.body.details[0].message).toMatch(/Too many/);

  const other = await register(tenant);
  const [otherEmail] = await waitForEmails(h.infra.inboxUrl, other.email);
  await h.db('verification_codes').where({ customer_id: other.customerId }).update({ expires_at: new Date(Date.now() - 1000) });
  const expired = await tenant.call('POST', `${other.path}/verify-email`, { code: codeIn(otherEmail.text) });
  expect(expired.status).toBe(400);
  expect(expired.body.details[0].message).toMatch(/expired/);
});

it('answers 404 for the steps of another tenant\'s customer', async () => {
  const customer = await register(tenant);
  const other = await tenantWithSettings(h, {});
  expect((await other.call('POST', `${customer.path}/verify-email`, { code: '123456' })).status).toBe(404);
  expect((await other.call('GET', `${customer.path}/onboarding`)).status).toBe(404);
});

describe('KYC outcomes through the sandbox provider', () => {
  it('ends as REJECTED when the provider rejects, and tells the customer', async () => {
    const customer = await readyForKyc(h, tenant, { lastName: 'Reject' });
    await tenant.call('POST', `${customer.path}/verification`);
    const end = await waitForStatus(tenant, customer.path, 'REJECTED');
    expect(end.due).toEqual([]);
    expect(await subjects(customer.email, 2)).toContain('We could not open your account');
    expect(await h.db('kyc_verifications').where({ customer_id: customer.customerId }).first()).toMatchObject({ status: 'REJECTED' });
    const { verificationId } = await expectKycRanInChild(h, tenant.tenantId, customer.customerId, { review: false });
    expect(end.kyc).toEqual({ verificationId, status: 'REJECTED' });
  });

  it('goes to MANUAL_REVIEW when the provider asks, and on to KYC_APPROVED on a reviewer\'s decision', async () => {
    const customer = await readyForKyc(h, tenant, { lastName: 'Review' });
    await tenant.call('POST', `${customer.path}/verification`);
    const inReview = await waitForStatus(tenant, customer.path, 'MANUAL_REVIEW');
    expect((await tenant.call('POST', `${customer.path}/activation`)).status).toBe(409);
    // The review is the child's: its workflow id is the verification's, and the staff decision below goes there.
    const childId = `onboarding/${tenant.tenantId}/${customer.customerId}/person/${customer.customerId}`;
    expect(await h.db('kyc_verifications').where({ id: inReview.kyc.verificationId }).first()).toMatchObject({ status: 'MANUAL_REVIEW', workflow_id: childId });
    expect((await h.temporal.workflow.getHandle(childId).describe()).status.name).toBe('RUNNING');

    const admin = { ...(await staffHeaders(h, 'COMPLIANCE_OFFICER')), 'content-type': 'application/json' };
    const decide = (body: unknown) =>
      fetch(`${h.api.url}/api/v2.1/admin/customers/${customer.customerId}/kyc-decision`, { method: 'POST', headers: admin, body: JSON.stringify(body) });
    expect((await decide({ decision: 'MAYBE', reason: 'x' })).status).toBe(400);
    // The body cannot name who decided: a reviewer field is refused, and nothing is decided.
    const named = await decide({ decision: 'APPROVE', reason: 'Documents checked by hand', ...BODY_REVIEWER });
    expect(named.status).toBe(400);
    expect(((await named.json()) as { details: unknown }).details).toEqual([{ field: 'reviewer', message: 'Unknown field' }]);
    expect(await h.db('kyc_verifications').where({ id: inReview.kyc.verificationId }).first()).toMatchObject({ status: 'MANUAL_REVIEW', reviewer: null });
    const decided = await decide({ decision: 'APPROVE', reason: 'Documents checked by hand' });
    expect(decided.status).toBe(200);
    expect(await decided.json()).toMatchObject({ status: 'KYC_APPROVED', due: ['ACTIVATION'] });
    const verification = await h.db('kyc_verifications').where({ customer_id: customer.customerId }).first();
    expect(verification).toMatchObject({ status: 'APPROVED', reviewer: (await staffActorLabel(h)), reason: 'Documents checked by hand' });
    expect(await expectKycRanInChild(h, tenant.tenantId, customer.customerId, { review: true })).toMatchObject({ childId, verificationId: inReview.kyc.verificationId });
    expect(await subjects(customer.email, 3)).toEqual(expect.arrayContaining(['We are reviewing your application', 'Your identity is verified']));

    // The tenant reads the outcome only (no tipping-off); staff read who decided and why.
    const seenByTenant = await tenant.call('GET', `/v2/verification-history/${customer.customerId}`);
    expect(seenByTenant.body.data.verifications).toEqual([expect.objectContaining({ status: 'APPROVED' })]);
    expect(seenByTenant.body.data.statuses.map((s: { status: string }) => s.status)).toContain('MANUAL_REVIEW');
    // The onboarding's own step history is a tenant read too.
    const onboardingSeenByTenant = await tenant.call('GET', `${customer.path}/onboarding`);
    expect(onboardingSeenByTenant.body.history.map((s: { status: string }) => s.status)).toContain('KYC_APPROVED');
    for (const hidden of [(await staffActorLabel(h)), 'Documents checked by hand', 'reviewer', 'reason', 'POSSIBLE_WATCHLIST_MATCH']) {
      expect(JSON.stringify(seenByTenant.body)).not.toContain(hidden);
      expect(JSON.stringify(onboardingSeenByTenant.body)).not.toContain(hidden);
    }
    const staffPath = `/api/v2.1/admin/customers/${customer.customerId}/verification-history`;
    expect((await tenant.call('GET', staffPath)).status).toBe(401);
    const seenByStaff = (await (await fetch(`${h.api.url}${staffPath}`, { headers: admin })).json()) as { data: { verifications: unknown[]; statuses: unknown[] } };
    expect(seenByStaff.data.verifications).toEqual([
      expect.objectContaining({ status: 'APPROVED', reviewer: (await staffActorLabel(h)), reason: 'Documents checked by hand' }),
    ]);
    expect(seenByStaff.data.statuses).toContainEqual(expect.objectContaining({ status: 'KYC_APPROVED', reason: 'Documents checked by hand' }));
    expect((await decide({ decision: 'REJECT', reason: 'again' })).status).toBe(409);
    expect((await tenant.call('POST', `${customer.path}/activation`)).body.status).toBe('ACTIVE');
  });

  it('gets through a flaky provider by retrying the submission', async () => {
    const customer = await readyForKyc(h, tenant, { lastName: 'Flaky' });
    await tenant.call('POST', `${customer.path}/verification`);
    const approved = await waitForStatus(tenant, customer.path, 'KYC_APPROVED', 30_000);
    const { verificationId } = await expectKycRanInChild(h, tenant.tenantId, customer.customerId, { review: false });
    expect(approved.kyc).toEqual({ verificationId, status: 'APPROVED' });
    expect(await h.db('kyc_verifications').where({ id: verificationId }).first()).toMatchObject({ status: 'APPROVED' });
  });

  it('polls a silent provider once after the timeout, then hands the check to manual review', async () => {
    const quick = await tenantWithSettings(h, { kycResultTimeoutSeconds: 2 });
    const customer = await readyForKyc(h, quick, { lastName: 'Silent' });
    await quick.call('POST', `${customer.path}/verification`);
    await waitForStatus(quick, customer.path, 'MANUAL_REVIEW', 15_000);
    expect(await subjects(customer.email, 2)).toContain('We are reviewing your application');
    // Staff decide on the child through the same route; its history holds the poll and the review.
    const decided = await fetch(`${h.api.url}/api/v2.1/admin/customers/${customer.customerId}/kyc-decision`, {
      method: 'POST',
      headers: { ...(await staffHeaders(h, 'COMPLIANCE_OFFICER')), 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'REJECT', reason: 'Identity could not be confirmed' }),
    });
    expect(await decided.json()).toMatchObject({ status: 'REJECTED', due: [] });
    await expectKycRanInChild(h, quick.tenantId, customer.customerId, { review: true, polled: true });
    expect(await h.db('kyc_verifications').where({ customer_id: customer.customerId }).first()).toMatchObject({ status: 'REJECTED', reviewer: (await staffActorLabel(h)) });
  });
});

describe('reminders and expiry', () => {
  it('reminds a customer who does not verify, then expires the onboarding and tells them', async () => {
    const quick = await tenantWithSettings(h, { reminderAfterSeconds: 1, expireAfterSeconds: 3 });
    const customer = await register(quick);
    await waitForStatus(quick, customer.path, 'EXPIRED', 15_000);
    const got = await subjects(customer.email, 4);
    expect(got[0]).toBe('Your verification code');
    expect(got.filter((s) => s === 'Finish opening your account').length).toBeGreaterThanOrEqual(2);
    expect(got.at(-1)).toBe('Your account opening has expired');
    const late = await quick.call('POST', `${customer.path}/verify-email/resend`);
    expect(late.status).toBe(409);
    expect(late.body.details[0]).toEqual({ field: 'status', message: 'EXPIRED' });
  });
});
