/**
 * The KYB vendor's callback route, called the way a vendor would: Standard Webhooks headers over the exact bytes
 * sent. "Silent" companies get a check the sandbox never decides, so every decision here comes from the
 * callbacks this file sends, and a long result timeout keeps the workflow's polls out of the way.
 */
import { kybSnapshotQuery, kybWorkflowId } from '../../common/kyb-contract';
import { newWebhookSecret } from '../../api/webhooks/signature';
import { startHarness, type Harness } from '../support/harness';
import { company, deliverKybCallback, insertOrganization, kybRow, signedKybCallback, startKyb, type Decision } from '../support/kyb';
import { createTenant, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('kyb_webhook');
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

/** A Silent company whose check the vendor has accepted (check_id stored) and will never decide by itself. */
async function silentKybInProgress() {
  const organizationId = await insertOrganization(h, tenant.tenantId);
  const handle = await startKyb(h, {
    tenantId: tenant.tenantId,
    organizationId,
    company: company('Silent Signals Ltd'),
    firstPollAfter: '1 hour',
    resultTimeout: '2 hours',
  });
  const row = await kybRow(h, organizationId, (r) => r.check_id !== null);
  return { organizationId, handle, reference: row.id as string, checkId: row.check_id as string };
}

async function signalCount(organizationId: string): Promise<number> {
  const { events } = await h.temporal.workflow.getHandle(kybWorkflowId(tenant.tenantId, organizationId)).fetchHistory();
  return (events ?? []).filter((event) => event.workflowExecutionSignaledEventAttributes).length;
}

describe('POST /api/v2.1/webhooks/kyb/{provider}', () => {
  it('refuses a callback signed with another secret, or altered after signing, with 401 and no effect', async () => {
    const kyb = await silentKybInProgress();
    const approval: Decision = { checkId: kyb.checkId, reference: kyb.reference, status: 'APPROVED' };

    const wrongSecret = await deliverKybCallback(h, signedKybCallback(h, approval, { secret: newWebhookSecret() }));
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toEqual({ error: 'INVALID_SIGNATURE', message: expect.any(String) });

    // The KYC secret does not sign KYB callbacks.
    const kycSigned = await deliverKybCallback(h, signedKybCallback(h, approval, { secret: h.secrets.kycWebhookSecret }));
    expect(kycSigned.status).toBe(401);

    const signedRejection = signedKybCallback(h, { ...approval, status: 'REJECTED' });
    const tampered = await deliverKybCallback(h, { ...signedRejection, body: signedRejection.body.replace('REJECTED', 'APPROVED') });
    expect(tampered.status).toBe(401);

    expect(await signalCount(kyb.organizationId)).toBe(0);
    expect((await kyb.handle.query(kybSnapshotQuery)).status).toBe('IN_PROGRESS');
    expect(await kybRow(h, kyb.organizationId)).toMatchObject({ status: 'IN_PROGRESS', decided_at: null });
    await kyb.handle.terminate('test done');
  });

  it('applies a correctly signed decision once, however often it and a conflicting one are delivered', async () => {
    const kyb = await silentKybInProgress();
    const approval = signedKybCallback(h, { checkId: kyb.checkId, reference: kyb.reference, status: 'APPROVED' });
    const conflicting = signedKybCallback(h, { checkId: kyb.checkId, reference: kyb.reference, status: 'REJECTED', reason: 'BUSINESS_NOT_VERIFIED' });

    const answers = await Promise.all([deliverKybCallback(h, approval), deliverKybCallback(h, approval)]);
    expect(answers.map((answer) => answer.status)).toEqual([202, 202]);
    expect(await kyb.handle.result()).toMatchObject({ status: 'APPROVED', errors: [] });

    // After the decision the workflow has ended: a late or conflicting callback is accepted and changes nothing.
    expect((await deliverKybCallback(h, conflicting)).status).toBe(202);
    expect((await deliverKybCallback(h, approval)).status).toBe(202);
    expect(await kybRow(h, kyb.organizationId)).toMatchObject({ status: 'APPROVED', reason: null });
  });

  it('counts the first of two conflicting decisions delivered back to back', async () => {
    const kyb = await silentKybInProgress();
    const rejection = signedKybCallback(h, { checkId: kyb.checkId, reference: kyb.reference, status: 'REJECTED', reason: 'BUSINESS_NOT_VERIFIED' });
    const approval = signedKybCallback(h, { checkId: kyb.checkId, reference: kyb.reference, status: 'APPROVED' });
    // Whether the second reaches the workflow before or after it acted on the first, the first one decides.
    expect((await deliverKybCallback(h, rejection)).status).toBe(202);
    expect((await deliverKybCallback(h, approval)).status).toBe(202);
    expect(await kyb.handle.result()).toMatchObject({ status: 'REJECTED', reason: 'BUSINESS_NOT_VERIFIED' });
    expect(await kybRow(h, kyb.organizationId)).toMatchObject({ status: 'REJECTED' });
  });

  it('answers 404 for an unknown provider or verification, even with a valid signature, and 400 for a signed non-decision', async () => {
    const kyb = await silentKybInProgress();
    const approval = signedKybCallback(h, { checkId: kyb.checkId, reference: kyb.reference, status: 'APPROVED' });
    const otherProvider = await deliverKybCallback(h, approval, 'another-vendor');
    expect(otherProvider.status).toBe(404);
    expect(otherProvider.body).toEqual({ error: 'NOT_FOUND', message: 'Unknown KYB provider' });

    const unknown = await deliverKybCallback(h, signedKybCallback(h, { checkId: 'kyb_chk_x', reference: 'kyb_00000000000000000000000000000000', status: 'APPROVED' }));
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: 'NOT_FOUND', message: 'Unknown verification' });

    const notADecision = signedKybCallback(h, { checkId: kyb.checkId, reference: kyb.reference, status: 'MAYBE' as Decision['status'] });
    const invalid = await deliverKybCallback(h, notADecision);
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ error: 'VALIDATION_ERROR', details: [{ field: 'status', message: expect.any(String) }] });

    expect(await signalCount(kyb.organizationId)).toBe(0);
    await kyb.handle.terminate('test done');
  });

  it('lets a PENDING callback through without telling the workflow anything', async () => {
    const kyb = await silentKybInProgress();
    const pending = await deliverKybCallback(h, signedKybCallback(h, { checkId: kyb.checkId, reference: kyb.reference, status: 'PENDING' }));
    expect(pending.status).toBe(202);
    expect(await signalCount(kyb.organizationId)).toBe(0);
    await kyb.handle.terminate('test done');
  });
});
