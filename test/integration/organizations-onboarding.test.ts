/**
 * An organization's onboarding over HTTP (seed 002 + seed 000): v2.1 registration with a representative, the
 * representative's e-mail code, consents, KYB started too early and in time, staff review, activation. Rows,
 * history, e-mails and search attributes are checked, as compliance staff and the tenant would see them.
 */
import { onboardingWorkflowId } from '../../common/onboarding-contract';
import { CustomerTypeKey, DueRequirementKey, KybStatusKey, OnboardingStatusKey } from '../../common/search-attributes';
import { startHarness, type Harness } from '../support/harness';
import { emailsTo, waitForEmails } from '../support/inbox';
import { CONSENTS, codeIn, tenantWithSettings } from '../support/journey';
import { organizationRegistration } from '../support/organizations';
import { createTenant, http, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('org_onboarding');
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

const admin = () => ({ authorization: `Bearer ${h.secrets.platformAdminToken}` });
const decide = (id: string, decision: 'APPROVE' | 'REJECT') =>
  http(h.api.url, 'POST', `/api/v2.1/admin/organizations/${id}/review-decision`, {
    body: { decision, reason: decision === 'APPROVE' ? 'Registry extract matches' : 'Registry shows the company dissolved', reviewer: 'analyst@platform.example' },
    headers: admin(),
  });

async function registerOrganization(t: TenantSession = tenant) {
  const body = organizationRegistration();
  const res = await t.call('POST', '/api/v2.1/customer/organization/registration', body);
  if (res.status !== 201) throw new Error(`registration: ${res.status} ${JSON.stringify(res.body)}`);
  const id = res.body.organizationId as string;
  return { id, body, res, path: `/api/v2.1/customer/${id}`, email: body.representative.email as string };
}

async function latestCode(email: string, count = 1): Promise<string> {
  const emails = await waitForEmails(h.infra.inboxUrl, email, count);
  return codeIn(emails.filter((e) => e.subject === 'Your verification code').at(-1)!.text);
}

/** The subjects of every e-mail to `address`, once one with `subject` has arrived. */
async function subjectsOnceArrived(address: string, subject: string): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const subjects = (await emailsTo(h.infra.inboxUrl, address)).map((e) => e.subject);
    if (subjects.includes(subject) || Date.now() > deadline) return subjects;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function readyForKyb(t: TenantSession = tenant) {
  const org = await registerOrganization(t);
  expect((await t.call('POST', `${org.path}/verify-email`, { code: await latestCode(org.email) })).status).toBe(200);
  for (const type of CONSENTS) expect((await t.call('POST', `${org.path}/consents/${type}`, { accepted: true, version: '2026-01' })).status).toBe(201);
  return org;
}

async function waitForOnboarding(t: TenantSession, path: string, status: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await t.call('GET', `${path}/onboarding`);
    if (res.body.status === status) return res.body;
    if (Date.now() > deadline) throw new Error(`expected ${status}, still ${JSON.stringify(res.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

describe('organization onboarding', () => {
  it('goes from v2.1 registration to ACTIVE: code, consents, KYB too early then in time, staff approval, activation', async () => {
    const org = await registerOrganization();
    expect(org.res.body).toEqual({
      organizationId: expect.stringMatching(/^org_[0-9a-f]{24}$/),
      businessName: org.body.businessName,
      status: 'ONBOARDING',
      createdAt: expect.any(String),
      kybStatus: 'NOT_STARTED',
      verificationEmailSent: true,
    });
    const stored = await h.db('customers').where({ tenant_id: tenant.tenantId, id: org.id }).first();
    expect(stored).toMatchObject({ type: 'ORGANIZATION', email: org.email, first_name: 'Grace', last_name: 'Hopper', status: 'ONBOARDING' });

    // Too early: the 409 names what is due.
    const early = await tenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`);
    expect(early.status).toBe(409);
    expect(early.body).toEqual({
      error: 'INVALID_STATE',
      message: 'KYB cannot start yet: EMAIL_VERIFICATION, CONSENT:TERMS_AND_CONDITIONS, CONSENT:PRIVACY_POLICY, CONSENT:DATA_PROCESSING still due',
      details: [
        { field: 'status', message: 'ONBOARDING' },
        { field: 'due', message: 'EMAIL_VERIFICATION, CONSENT:TERMS_AND_CONDITIONS, CONSENT:PRIVACY_POLICY, CONSENT:DATA_PROCESSING' },
      ],
    });

    // The representative's code, exactly as for individuals: a wrong one is refused, the right one verifies.
    const code = await latestCode(org.email);
    const wrong = await tenant.call('POST', `${org.path}/verify-email`, { code: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.details).toEqual([{ field: 'code', message: 'The code is not correct' }]);
    const verified = await tenant.call('POST', `${org.path}/verify-email`, { code });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({
      customerId: org.id,
      status: 'ONBOARDING',
      lifecycleStatus: 'ONBOARDING',
      kybStatus: 'NOT_STARTED',
      requirements: { currentlyDue: ['CONSENT:TERMS_AND_CONDITIONS', 'CONSENT:PRIVACY_POLICY', 'CONSENT:DATA_PROCESSING'], pendingVerification: [], errors: [] },
    });
    expect((await tenant.call('POST', `${org.path}/verify-email/resend`)).status).toBe(409);

    const stillEarly = await tenant.call('POST', `${org.path}/verification`);
    expect(stillEarly.status).toBe(409);
    expect(stillEarly.body.details[1].message).toBe('CONSENT:TERMS_AND_CONDITIONS, CONSENT:PRIVACY_POLICY, CONSENT:DATA_PROCESSING');
    for (const type of CONSENTS) {
      expect((await tenant.call('POST', `${org.path}/consents/${type}`, { accepted: true, version: '2026-01' })).status).toBe(201);
    }
    const handle = h.temporal.workflow.getHandle(onboardingWorkflowId(tenant.tenantId, org.id));
    expect((await handle.describe()).typedSearchAttributes.get(DueRequirementKey)).toBe('KYB');

    const started = await tenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`);
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ organizationId: org.id, kybStatus: 'IN_PROGRESS' });
    expect((await tenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`)).status).toBe(409);

    // Until the KYB provider is wired in, every case goes to compliance staff.
    const review = await waitForOnboarding(tenant, org.path, 'MANUAL_REVIEW');
    expect(review).toMatchObject({ kybStatus: 'MANUAL_REVIEW', requirements: { currentlyDue: [], pendingVerification: ['KYB'] } });
    const tooSoon = await tenant.call('POST', `${org.path}/activation`);
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.body.details).toEqual([{ field: 'status', message: 'MANUAL_REVIEW' }, { field: 'due', message: 'KYB' }]);

    const approved = await decide(org.id, 'APPROVE');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ organizationId: org.id, status: 'APPROVED', kybStatus: 'APPROVED', requirements: { currentlyDue: ['ACTIVATION'] } });
    expect((await decide(org.id, 'APPROVE')).status).toBe(409);

    const active = await tenant.call('POST', `${org.path}/activation`);
    expect(active.status).toBe(200);
    expect(active.body).toMatchObject({ status: 'ACTIVE', lifecycleStatus: 'ACTIVE', requirements: { currentlyDue: [], pendingVerification: [], errors: [] } });
    expect(await subjectsOnceArrived(org.email, 'Welcome: your account is active')).toContain('Welcome: your account is active');

    const view = await tenant.call('GET', `/v2/organization/${org.id}`);
    expect(view.body).toMatchObject({ status: 'ACTIVE', kybStatus: 'APPROVED', lifecycleStatus: 'ACTIVE' });
    const history = await h.db('customer_status_history').where({ tenant_id: tenant.tenantId, customer_id: org.id }).orderBy('id').select('status', 'reason');
    expect(history).toEqual([
      { status: 'ONBOARDING', reason: 'Registered' },
      { status: 'MANUAL_REVIEW', reason: 'KYB handed to compliance review' },
      { status: 'APPROVED', reason: 'Approved by analyst@platform.example: Registry extract matches' },
      { status: 'ACTIVE', reason: 'Activated' },
    ]);
    const consents = await tenant.call('GET', `${org.path}/consents`);
    expect(consents.body.data.map((c: { type: string }) => c.type).sort()).toEqual([...CONSENTS].sort());
    // The tenant sees statuses, never the reviewer's note.
    const onboarding = await tenant.call('GET', `${org.path}/onboarding`);
    expect(onboarding.body.history.map((s: { status: string }) => s.status)).toEqual(['ONBOARDING', 'MANUAL_REVIEW', 'APPROVED', 'ACTIVE']);
    expect(JSON.stringify(onboarding.body)).not.toContain('Registry extract');

    await handle.result();
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect(attributes.get(CustomerTypeKey)).toBe('ORGANIZATION');
    expect(attributes.get(OnboardingStatusKey)).toBe('ACTIVE');
    expect(attributes.get(KybStatusKey)).toBe('APPROVED');
    expect(attributes.get(DueRequirementKey)).toBeUndefined();

    // After activation, staff status changes take over.
    expect((await tenant.call('PUT', `/v2/organization/${org.id}/SUSPENDED`)).body).toEqual({ organizationId: org.id, status: 'SUSPENDED' });
  });

  it('starts KYB through POST /{orgId}/verification as well, and a rejection ends the onboarding with the reason kept from the tenant', async () => {
    const org = await readyForKyb();
    const started = await tenant.call('POST', `${org.path}/verification`);
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ organizationId: org.id, kybStatus: 'IN_PROGRESS' });
    await waitForOnboarding(tenant, org.path, 'MANUAL_REVIEW');
    const rejected = await decide(org.id, 'REJECT');
    expect(rejected.body).toMatchObject({ status: 'REJECTED', kybStatus: 'REJECTED', requirements: { errors: [{ requirement: 'KYB', reason: 'Rejected in compliance review' }] } });
    expect((await tenant.call('POST', `${org.path}/activation`)).status).toBe(409);
    const profile = await h.db('organization_profiles').where({ tenant_id: tenant.tenantId, customer_id: org.id }).first();
    expect(profile.kyb_status).toBe('REJECTED');
    const view = await tenant.call('GET', `/v2/organization/${org.id}`);
    expect(view.body).toMatchObject({ status: 'REJECTED', lifecycleStatus: 'REJECTED' });
    expect(JSON.stringify(view.body)).not.toContain('dissolved');
  });

  it('resends the code to the representative on request, throttled, and the newer code verifies', async () => {
    const throttled = await tenantWithSettings(h, { resendCooldownSeconds: 1 });
    const org = await registerOrganization(throttled);
    await latestCode(org.email);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await throttled.call('POST', `${org.path}/verify-email/resend`)).status).toBe(202);
    const tooSoon = await throttled.call('POST', `${org.path}/verify-email/resend`);
    expect(tooSoon.status).toBe(429);
    const code = await latestCode(org.email, 2);
    expect((await throttled.call('POST', `${org.path}/verify-email`, { code })).status).toBe(200);
  });

  it('reminds the representative and expires a stalled onboarding per the tenant policy', async () => {
    const hasty = await tenantWithSettings(h, { reminderAfterSeconds: 1, expireAfterSeconds: 3 });
    const org = await registerOrganization(hasty);
    await waitForOnboarding(hasty, org.path, 'EXPIRED');
    const subjects = await subjectsOnceArrived(org.email, 'Your account opening has expired');
    expect(subjects).toContain('Finish opening your account');
    const history = await h.db('customer_status_history').where({ customer_id: org.id }).orderBy('id').pluck('status');
    expect(history).toEqual(['ONBOARDING', 'EXPIRED']);
    expect((await hasty.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`)).status).toBe(409);
  });

  it("keeps organizations apart from individuals and other tenants on the shared routes", async () => {
    const org = await registerOrganization();
    const nosy = await createTenant(h, 'Nosy');
    expect((await nosy.call('POST', `${org.path}/verify-email`, { code: '123456' })).status).toBe(404);
    expect((await nosy.call('GET', `${org.path}/onboarding`)).status).toBe(404);
    expect((await nosy.call('POST', `${org.path}/verification`)).status).toBe(404);
    // Organizations verify no phone; the phone routes take individuals only.
    expect((await tenant.call('POST', `${org.path}/verify-phone/send`)).status).toBe(400);
    const bad = await tenant.call('POST', '/api/v2.1/customer/organization/registration', organizationRegistration({ captcha: 'invalid' }));
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ field: 'captcha', message: 'Captcha verification failed' }]);
    const noRep = organizationRegistration();
    delete (noRep as Record<string, unknown>).representative;
    expect((await tenant.call('POST', '/api/v2.1/customer/organization/registration', noRep)).body.details).toEqual([{ field: 'representative', message: 'Required' }]);
  });
});
