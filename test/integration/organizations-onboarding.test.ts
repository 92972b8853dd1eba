/**
 * An organization's onboarding over HTTP (seed 002 + seed 000): v2.1 registration with a representative, the
 * representative's e-mail code, consents, KYB started too early and in time, the people frozen once it runs. Rows,
 * history, e-mails and search attributes are checked, as compliance staff and the tenant would see them.
 */
import { onboardingWorkflowId } from '../../common/onboarding-contract';
import { CustomerTypeKey, DueRequirementKey, KybStatusKey, OnboardingStatusKey } from '../../common/search-attributes';
import { startHarness, type Harness } from '../support/harness';
import { emailsTo, waitForEmails } from '../support/inbox';
import { CONSENTS, codeIn, tenantWithSettings } from '../support/journey';
import { organizationRegistration } from '../support/organizations';
import { fullPerson, readyForKyb } from '../support/organization-journey';
import { createTenant, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('org_onboarding');
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

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
  it('goes from v2.1 registration through the code and consents to KYB: too early names what is due, from the workflow and the tables', async () => {
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
    // The representative is a party of the organization from registration on (the same transaction).
    const parties = await h.db('organization_parties').where({ tenant_id: tenant.tenantId, organization_id: org.id }).select('email', 'is_representative', 'is_director');
    expect(parties).toEqual([{ email: org.email, is_representative: true, is_director: false }]);

    // Too early: the 409 names what is due, the workflow's steps first, then what the tables lack.
    const tablesDue = 'DIRECTORS, OWNERSHIP, DOCUMENT:CERTIFICATE_OF_INCORPORATION';
    const early = await tenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`);
    expect(early.status).toBe(409);
    expect(early.body).toEqual({
      error: 'INVALID_STATE',
      message: `KYB cannot start yet: EMAIL_VERIFICATION, CONSENT:TERMS_AND_CONDITIONS, CONSENT:PRIVACY_POLICY, CONSENT:DATA_PROCESSING, ${tablesDue} still due`,
      details: [
        { field: 'status', message: 'ONBOARDING' },
        { field: 'due', message: `EMAIL_VERIFICATION, CONSENT:TERMS_AND_CONDITIONS, CONSENT:PRIVACY_POLICY, CONSENT:DATA_PROCESSING, ${tablesDue}` },
      ],
    });
    const profile = () => h.db('organization_profiles').where({ tenant_id: tenant.tenantId, customer_id: org.id }).first('kyb_status');
    expect((await profile()).kyb_status).toBe('NOT_STARTED');

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
    expect(stillEarly.body.details[1].message).toBe(`CONSENT:TERMS_AND_CONDITIONS, CONSENT:PRIVACY_POLICY, CONSENT:DATA_PROCESSING, ${tablesDue}`);
    for (const type of CONSENTS) {
      expect((await tenant.call('POST', `${org.path}/consents/${type}`, { accepted: true, version: '2026-01' })).status).toBe(201);
    }
    const handle = h.temporal.workflow.getHandle(onboardingWorkflowId(tenant.tenantId, org.id));
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect([attributes.get(CustomerTypeKey), attributes.get(OnboardingStatusKey), attributes.get(KybStatusKey), attributes.get(DueRequirementKey)]).toEqual([
      'ORGANIZATION',
      'ONBOARDING',
      'NOT_STARTED',
      'KYB',
    ]);
    // GET answers from the tables too: the people, owners and documents KYB needs are due before it.
    const onboarding = await tenant.call('GET', `${org.path}/onboarding`);
    expect(onboarding.body).toMatchObject({ status: 'ONBOARDING', kybStatus: 'NOT_STARTED', requirements: { currentlyDue: [...tablesDue.split(', '), 'KYB'] } });
    expect((await tenant.call('GET', `/v2/organization/${org.id}`)).body.requirements.currentlyDue).toEqual([...tablesDue.split(', '), 'KYB']);
    const refused = await tenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`);
    expect([refused.status, refused.body.message]).toEqual([409, `KYB cannot start yet: ${tablesDue} still due`]);
    expect((await profile()).kyb_status).toBe('NOT_STARTED');
  });

  it('starts KYB once the tables hold what it needs, then refuses a second start and any change of people (409)', async () => {
    const org = await readyForKyb(h, tenant);
    const started = await tenant.call('POST', `${org.path}/verification`);
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ organizationId: org.id, kybStatus: 'IN_PROGRESS' });
    expect((await tenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`)).status).toBe(409);
    const late = await tenant.call('POST', `${org.path}/directors`, fullPerson('Late'));
    expect(late.status).toBe(409);
    expect(late.body.error).toBe('INVALID_STATE');
    expect((await tenant.call('DELETE', `${org.path}/directors/${org.representativeId}`)).status).toBe(409);
    const directors = await h.db('organization_parties').where({ tenant_id: tenant.tenantId, organization_id: org.id, is_director: true }).whereNull('removed_at').pluck('id');
    expect(directors).toEqual([org.representativeId]);
    await waitForOnboarding(tenant, org.path, 'APPROVED');
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
