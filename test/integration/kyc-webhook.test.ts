/**
 * The KYC provider's callback route, called the way a provider would: Standard Webhooks headers over the exact
 * bytes sent. `Silent` customers get a check the sandbox never decides, so every decision here comes from the
 * callbacks this file sends, and a long result timeout keeps the workflow's fallback poll out of the way.
 */
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { identityVerificationWorkflowId } from '../../common/identity-contract';
import { newWebhookSecret } from '../../api/webhooks/kyc-signature';
import { startHarness, type Harness } from '../support/harness';
import { emailsTo, waitForEmails } from '../support/inbox';
import { readyForKyc, tenantWithSettings, waitForStatus } from '../support/journey';
import { http, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('webhook');
  tenant = await tenantWithSettings(h, { kycResultTimeoutSeconds: 3600 });
});
afterAll(() => h?.close());

interface Decision {
  checkId: string;
  reference: string;
  status: 'APPROVED' | 'REJECTED' | 'REVIEW' | 'PENDING';
  reason?: string;
}

interface Callback {
  body: string;
  headers: Record<string, string>;
}

/** A callback as the provider sends it: signed over `body`, with `secret`, at `sentAt`. */
function signedCallback(decision: Decision, { secret = h.secrets.kycWebhookSecret, sentAt = new Date(), id = `msg_${randomUUID()}` } = {}): Callback {
  const body = JSON.stringify(decision);
  return {
    body,
    headers: {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, sentAt, body),
    },
  };
}

function deliver({ body, headers }: Callback, provider = h.config.KYC_PROVIDER_NAME) {
  return http(h.api.url, 'POST', `/api/v2.1/webhooks/kyc/${provider}`, { rawBody: body, headers });
}

/** A Silent customer whose check the provider has accepted (check_id stored) and will never decide by itself. */
async function silentCustomerInKyc() {
  const customer = await readyForKyc(h, tenant, { lastName: 'Silent' });
  expect((await tenant.call('POST', `${customer.path}/verification`)).status).toBe(202);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const row = await h.db('kyc_verifications').where({ customer_id: customer.customerId }).first<{ id: string; check_id: string | null } | undefined>();
    if (row?.check_id) return { ...customer, reference: row.id, checkId: row.check_id };
    if (Date.now() > deadline) throw new Error(`no check_id for ${customer.customerId}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The workflow that runs the customer's check: the identity-verification child its verification row names. */
async function workflowOf(customerId: string) {
  const row = await h.db('kyc_verifications').where({ customer_id: customerId }).first<{ workflow_id: string | null }>('workflow_id');
  expect(row.workflow_id).toBe(identityVerificationWorkflowId(tenant.tenantId, customerId, customerId));
  return h.temporal.workflow.getHandle(row.workflow_id!);
}

async function signalCount(customerId: string): Promise<number> {
  const { events } = await (await workflowOf(customerId)).fetchHistory();
  return (events ?? []).filter((event) => event.workflowExecutionSignaledEventAttributes).length;
}

/**
 * Waits until the workflow has `count` signals recorded, or has closed after some (a closed check takes no more:
 * later deliveries are answered 202 and dropped), and has finished a workflow task after the last of them.
 */
async function waitUntilSignalsHandled(customerId: string, count: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const events = (await (await workflowOf(customerId)).fetchHistory()).events ?? [];
    const signals = events.flatMap((event, index) => (event.workflowExecutionSignaledEventAttributes ? [index] : []));
    const lastSignal = signals.at(-1) ?? Infinity;
    const closed = events.some((event) => event.workflowExecutionCompletedEventAttributes);
    const handled = events.some((event, index) => index > lastSignal && event.workflowTaskCompletedEventAttributes);
    if ((signals.length >= count || (closed && signals.length > 0)) && handled) return;
    if (Date.now() > deadline) throw new Error(`workflow of ${customerId} did not handle ${count} signal(s); it has ${signals.length}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const kycApprovedRows = (customerId: string) => h.db('customer_status_history').where({ customer_id: customerId, status: 'KYC_APPROVED' });

describe('POST /api/v2.1/webhooks/kyc/{provider}', () => {
  it('refuses a callback signed with another secret or altered after signing with 401 INVALID_SIGNATURE, and it has no effect', async () => {
    const customer = await silentCustomerInKyc();
    const approval: Decision = { checkId: customer.checkId, reference: customer.reference, status: 'APPROVED' };

    const wrongSecret = await deliver(signedCallback(approval, { secret: newWebhookSecret() }));
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toEqual({ error: 'INVALID_SIGNATURE', message: expect.any(String) });

    const signedRejection = signedCallback({ ...approval, status: 'REJECTED' });
    const altered = { ...signedRejection, body: signedRejection.body.replace('REJECTED', 'APPROVED') };
    expect(JSON.parse(altered.body)).toEqual(approval);
    const tampered = await deliver(altered);
    expect(tampered.status).toBe(401);
    expect(tampered.body).toEqual({ error: 'INVALID_SIGNATURE', message: expect.any(String) });

    // Nothing reached the workflow, and nothing changed for the tenant or in storage.
    expect(await signalCount(customer.customerId)).toBe(0);
    expect((await tenant.call('GET', `${customer.path}/onboarding`)).body.status).toBe('KYC_IN_PROGRESS');
    expect(await h.db('kyc_verifications').where({ id: customer.reference }).first()).toMatchObject({ status: 'IN_PROGRESS', decided_at: null });
    expect(await kycApprovedRows(customer.customerId)).toHaveLength(0);
  });

  it('applies a correctly signed APPROVED callback once, however often it and a conflicting one are delivered', async () => {
    const customer = await silentCustomerInKyc();
    const approval = signedCallback({ checkId: customer.checkId, reference: customer.reference, status: 'APPROVED' });

    const first = await deliver(approval);
    expect(first.status).toBe(202);
    await waitForStatus(tenant, customer.path, 'KYC_APPROVED');
    await waitForEmails(h.infra.inboxUrl, customer.email, 2);

    const again = await deliver(approval);
    expect(again.status).toBe(202);
    const conflicting = await deliver(
      signedCallback({ checkId: customer.checkId, reference: customer.reference, status: 'REJECTED', reason: 'IDENTITY_NOT_VERIFIED' }),
    );
    expect(conflicting.status).toBe(202);
    // All three reached the workflow, which has had its chance to act on the last two.
    await waitUntilSignalsHandled(customer.customerId, 3);

    const onboarding = await tenant.call('GET', `${customer.path}/onboarding`);
    expect(onboarding.body).toMatchObject({ status: 'KYC_APPROVED', due: ['ACTIVATION'] });
    expect((await tenant.call('GET', `/api/v2.1/customer/${customer.customerId}`)).body.status).toBe('KYC_APPROVED');
    expect(await h.db('kyc_verifications').where({ id: customer.reference }).first()).toMatchObject({ status: 'APPROVED' });
    expect(await kycApprovedRows(customer.customerId)).toHaveLength(1);
    expect(await h.db('customer_status_history').where({ customer_id: customer.customerId, status: 'REJECTED' })).toHaveLength(0);
    const subjects = (await emailsTo(h.infra.inboxUrl, customer.email)).map((email) => email.subject);
    expect(subjects.filter((subject) => subject === 'Your identity is verified')).toHaveLength(1);
    expect(subjects).not.toContain('We could not open your account');
  });

  it('answers 404 for an unknown provider, even with a valid signature', async () => {
    const customer = await silentCustomerInKyc();
    const approval = signedCallback({ checkId: customer.checkId, reference: customer.reference, status: 'APPROVED' });
    const res = await deliver(approval, 'another-provider');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'NOT_FOUND', message: expect.any(String) });
    expect(await signalCount(customer.customerId)).toBe(0);
  });

  it('answers 404 for a correctly signed callback naming an unknown verification', async () => {
    const res = await deliver(signedCallback({ checkId: 'chk_unknown', reference: 'ver_00000000000000000000000000000000', status: 'APPROVED' }));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'NOT_FOUND', message: expect.any(String) });
  });

  it('refuses a correctly signed callback whose timestamp is more than five minutes old with 401, and it has no effect', async () => {
    const customer = await silentCustomerInKyc();
    const sixMinutesAgo = new Date(Date.now() - 6 * 60_000);
    const stale = signedCallback({ checkId: customer.checkId, reference: customer.reference, status: 'APPROVED' }, { sentAt: sixMinutesAgo });
    const res = await deliver(stale);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'INVALID_SIGNATURE', message: expect.any(String) });
    expect(await signalCount(customer.customerId)).toBe(0);
    expect((await tenant.call('GET', `${customer.path}/onboarding`)).body.status).toBe('KYC_IN_PROGRESS');
  });
});
