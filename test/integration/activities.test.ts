/** The activities against the real database and mail catcher, called as a retrying worker would call them. */
import { ApplicationFailure } from '@temporalio/common';
import { createActivities } from '../../activities';
import { sendOnce, sendOnceToCustomer, type SendOnceKey } from '../../activities/send-once';
import { hashCode } from '../../activities/verification-codes';
import { codeHashKeyOf } from '../../common/secrets';
import { FailureType, type IndividualRegistration } from '../../common/onboarding-contract';
import { newCustomerId } from '../../api/individuals/registration';
import { startHarness, type Harness } from '../support/harness';
import { emailsTo, waitForEmails } from '../support/inbox';
import { uniqueEmail } from '../support/tenant-client';

let h: Harness;
let activities: ReturnType<typeof createActivities>;
const tenantId = 'tnt_activities';

beforeAll(async () => {
  h = await startHarness('activities', { withWorker: false });
  activities = createActivities(h.activityDeps);
  await h.db('tenants').insert({ id: tenantId, name: 'Activities Bank', tier: 'STARTER' });
});
afterAll(() => h?.close());

/** Inputs as recorded before secrets were staged: the hash inline, which the activity still accepts. */
function details(email: string): IndividualRegistration {
  return {
    firstName: 'Ada',
    lastName: 'Lovelace',
    email,
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    marketingConsent: false,
    termsAcceptedAt: new Date().toISOString(),
  };
}

describe('createIndividualCustomer', () => {
  it('moves the staged password hash into the customer row and deletes the staged row, in one transaction', async () => {
    const customerId = newCustomerId();
    await h.db('registration_secrets').insert({ tenant_id: tenantId, customer_id: customerId, password_hash: '$argon2id$staged', expires_at: new Date(Date.now() + 60_000) });
    const { passwordHash: _inline, ...registration } = details(uniqueEmail());
    await activities.createIndividualCustomer({ tenantId, customerId, registration: { ...registration, stagedSecrets: true } });
    expect((await h.db('customers').where({ tenant_id: tenantId, id: customerId }).first()).password_hash).toBe('$argon2id$staged');
    expect(await h.db('registration_secrets').where({ tenant_id: tenantId, customer_id: customerId })).toEqual([]);
  });

  it('stores nothing when the staged secrets are gone (the API gave up on the registration)', async () => {
    const customerId = newCustomerId();
    const { passwordHash: _inline, ...registration } = details(uniqueEmail());
    const failure = await activities
      .createIndividualCustomer({ tenantId, customerId, registration: { ...registration, stagedSecrets: true } })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).type).toBe(FailureType.RegistrationFailed);
    expect(await h.db('customers').where({ tenant_id: tenantId, id: customerId })).toEqual([]);
  });

  it('is idempotent on the customer id: a retry returns the stored row and writes no second history row', async () => {
    const customerId = newCustomerId();
    const input = { tenantId, customerId, registration: details(uniqueEmail()) };
    const first = await activities.createIndividualCustomer(input);
    const retry = await activities.createIndividualCustomer(input);
    expect(retry).toEqual(first);
    expect(await h.db('customers').where({ id: customerId })).toHaveLength(1);
    expect(await h.db('customer_status_history').where({ customer_id: customerId })).toHaveLength(1);
  });

  it('fails non-retryably when the database already holds the e-mail in any letter case', async () => {
    const email = uniqueEmail();
    await activities.createIndividualCustomer({ tenantId, customerId: newCustomerId(), registration: details(email) });
    const duplicate = activities.createIndividualCustomer({ tenantId, customerId: newCustomerId(), registration: details(email.toUpperCase()) });
    await expect(duplicate).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(duplicate).rejects.toMatchObject({ type: FailureType.EmailAlreadyRegistered, nonRetryable: true });
  });
});

describe('sendVerificationEmail', () => {
  it('sends once per idempotency key, however often it is retried', async () => {
    const email = uniqueEmail('once');
    const customerId = newCustomerId();
    await activities.createIndividualCustomer({ tenantId, customerId, registration: details(email) });
    const key = `onboarding/${tenantId}/${customerId}/verification-email/1`;

    const first = await activities.sendVerificationEmail({ tenantId, customerId, idempotencyKey: key });
    const retried = await activities.sendVerificationEmail({ tenantId, customerId, idempotencyKey: key });
    expect(first).toMatchObject({ sent: true, deduplicated: false });
    expect(retried).toEqual({ sent: true, deduplicated: true });

    const [received] = await waitForEmails(h.infra.inboxUrl, email);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await emailsTo(h.infra.inboxUrl, email)).toHaveLength(1);
    const code = /code is (\d{6})/.exec(received.text)![1];
    const stored = await h.db('verification_codes').where({ customer_id: customerId, channel: 'EMAIL' }).first();
    expect(stored.code_hash).toBe(hashCode(codeHashKeyOf(h.secrets), customerId, 'EMAIL', code));
  });

  it('issues a new code for a new step, replacing the old one', async () => {
    const email = uniqueEmail('resend');
    const customerId = newCustomerId();
    await activities.createIndividualCustomer({ tenantId, customerId, registration: details(email) });
    await activities.sendVerificationEmail({ tenantId, customerId, idempotencyKey: `${customerId}/1` });
    await activities.sendVerificationEmail({ tenantId, customerId, idempotencyKey: `${customerId}/2` });
    const emails = await waitForEmails(h.infra.inboxUrl, email, 2);
    const codes = emails.map((e) => /code is (\d{6})/.exec(e.text)![1]);
    const stored = await h.db('verification_codes').where({ customer_id: customerId, channel: 'EMAIL' });
    expect(stored).toHaveLength(1);
    const key = codeHashKeyOf(h.secrets);
    expect(codes.map((code) => hashCode(key, customerId, 'EMAIL', code))).toContain(stored[0].code_hash);
  });

  it('fails non-retryably for a customer that does not exist in the tenant', async () => {
    const stranger = newCustomerId();
    await activities.createIndividualCustomer({ tenantId, customerId: stranger, registration: details(uniqueEmail()) });
    await h.db('tenants').insert({ id: 'tnt_other', name: 'Other Bank', tier: 'STARTER' });
    const attempt = activities.sendVerificationEmail({ tenantId: 'tnt_other', customerId: stranger, idempotencyKey: 'k' });
    await expect(attempt).rejects.toMatchObject({ type: 'CustomerNotFound', nonRetryable: true });
    expect(await h.db('outbound_emails').where({ idempotency_key: 'k' })).toEqual([]); // and claimed nothing
  });
});

describe('sendOnce', () => {
  async function customerWithKey() {
    const customerId = newCustomerId();
    await activities.createIndividualCustomer({ tenantId, customerId, registration: details(uniqueEmail()) });
    return { tenantId, customerId, idempotencyKey: `${customerId}/notice`, template: 'welcome' };
  }

  it('sends for a key claimed earlier but never marked sent (a crash before the send), and marks it', async () => {
    const key = await customerWithKey();
    await h.db('outbound_emails').insert({ tenant_id: tenantId, customer_id: key.customerId, idempotency_key: key.idempotencyKey, template: key.template });
    let sends = 0;
    expect(await sendOnce(h.db, 'outbound_emails', key, async () => void (sends += 1))).toEqual({ sent: true, deduplicated: false });
    expect(sends).toBe(1);
    expect(await sendOnce(h.db, 'outbound_emails', key, async () => void (sends += 1))).toEqual({ sent: true, deduplicated: true });
    expect(sends).toBe(1);
  });

  it.each([
    ['sendOnce', (key: SendOnceKey, send: () => Promise<void>) => sendOnce(h.db, 'outbound_emails', key, send)],
    ['sendOnceToCustomer', (key: SendOnceKey, send: () => Promise<void>) => sendOnceToCustomer(h.db, 'outbound_emails', key, send)],
  ])('%s sends nothing when a concurrent call claimed and sent the key while this one waited on its claim', async (_name, sendOnceVia) => {
    const key = await customerWithKey();
    let sends = 0;
    const rival = await h.db.transaction();
    try {
      await rival('outbound_emails').insert({ tenant_id: tenantId, customer_id: key.customerId, idempotency_key: key.idempotencyKey, template: key.template, sent_at: new Date() });
      // This call's claim waits on the rival's uncommitted row; the rival commits after this call's statement began.
      const waiting = sendOnceVia(key, async () => void (sends += 1));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await rival.commit();
      expect(await waiting).toEqual({ sent: true, deduplicated: true });
    } finally {
      if (!rival.isCompleted()) await rival.rollback();
    }
    expect(sends).toBe(0);
  });
});

describe('recordStatus', () => {
  it('records a status change once, however often it is retried', async () => {
    const customerId = newCustomerId();
    await activities.createIndividualCustomer({ tenantId, customerId, registration: details(uniqueEmail()) });
    const change = { tenantId, customerId, status: 'EXPIRED' as const, reason: 'test' };
    await activities.recordStatus(change);
    await activities.recordStatus(change);
    const history = await h.db('customer_status_history').where({ customer_id: customerId }).orderBy('id');
    expect(history.map((row) => row.status)).toEqual(['PENDING_EMAIL_VERIFICATION', 'EXPIRED']);
    expect((await h.db('customers').where({ id: customerId }).first()).status).toBe('EXPIRED');
  });
});
