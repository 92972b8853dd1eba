/**
 * The sandbox outcome routes: a tenant forces the sandbox vendor's decision on a customer's pending KYC or an
 * organization's pending KYB. The vendor decides that check and calls back, so the workflow moves the customer on
 * as in production, and the webhook events follow (kyc.completed, kyb.completed, the status moves).
 */
import { startHarness, type Harness } from '../support/harness';
import { readyForKyc, waitForStatus } from '../support/journey';
import { submittedCheck } from '../support/kyc-vendor';
import { kybRow } from '../support/kyb';
import { expectStatus, readyForKyb, waitForOrganization } from '../support/organization-journey';
import { createTenant, type TenantSession } from '../support/tenant-client';
import { expectCatalogueShapes, insertSubscription, waitForEvent } from '../support/webhook-events';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('sandbox_outcomes');
  tenant = await createTenant(h);
  await insertSubscription(h, tenant.tenantId);
});
afterAll(() => h?.close());

const kycOutcome = (as: TenantSession, customerId: string, body: unknown) => as.call('POST', `/api/v2.1/sandbox/customers/${customerId}/kyc-outcome`, body);
const kybOutcome = (as: TenantSession, organizationId: string, body: unknown) => as.call('POST', `/api/v2.1/sandbox/organizations/${organizationId}/kyb-outcome`, body);

/** A customer whose KYC the sandbox never decides on its own (`Silent`), with the check submitted. */
async function pendingKyc() {
  const customer = await readyForKyc(h, tenant, { lastName: 'Silent' });
  expect((await tenant.call('POST', `${customer.path}/verification`)).status).toBe(202);
  const check = await submittedCheck(h, customer.customerId);
  return { ...customer, verificationId: check.id as string };
}

describe('POST /api/v2.1/sandbox/customers/{customerId}/kyc-outcome', () => {
  it('rejects the pending check through the vendor callback, and the events say so', async () => {
    const customer = await pendingKyc();
    const forced = await kycOutcome(tenant, customer.customerId, { outcome: 'REJECTED' });
    expect(forced.status).toBe(202);
    expect(forced.body).toEqual({ customerId: customer.customerId, verificationId: customer.verificationId, outcome: 'REJECTED' });
    await waitForStatus(tenant, customer.path, 'REJECTED');

    const events = await waitForEvent(h, tenant.tenantId, customer.customerId, 'kyc.completed', { outcome: 'REJECTED' });
    expectCatalogueShapes(events);
    const tail = events.filter((e) => e.type !== 'customer.requirements_changed').slice(-2);
    expect(tail.map((e) => [e.type, e.data.previousStatus ?? null, e.data.status ?? e.data.outcome])).toEqual([
      ['customer.status_changed', 'KYC_IN_PROGRESS', 'REJECTED'],
      ['kyc.completed', null, 'REJECTED'],
    ]);
    // The check is decided: a second forcing finds nothing pending.
    const again = await kycOutcome(tenant, customer.customerId, { outcome: 'APPROVED' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'INVALID_STATE', details: [{ field: 'status', message: 'REJECTED' }] });
  });

  it('sends the customer to manual review, reported as kyc.completed MANUAL_REVIEW', async () => {
    const customer = await pendingKyc();
    expect((await kycOutcome(tenant, customer.customerId, { outcome: 'MANUAL_REVIEW' })).status).toBe(202);
    await waitForStatus(tenant, customer.path, 'MANUAL_REVIEW');
    await waitForEvent(h, tenant.tenantId, customer.customerId, 'kyc.completed', { outcome: 'MANUAL_REVIEW' });
  });

  it("answers 409 before any check, 404 for another tenant's customer, 400 for an unknown outcome", async () => {
    const customer = await readyForKyc(h, tenant);
    const early = await kycOutcome(tenant, customer.customerId, { outcome: 'APPROVED' });
    expect(early.status).toBe(409);
    expect(early.body).toEqual({ error: 'INVALID_STATE', message: 'No KYC check is pending for this customer', details: [{ field: 'status', message: 'PENDING_KYC' }] });

    const other = await createTenant(h, 'Other Bank');
    expect((await kycOutcome(other, customer.customerId, { outcome: 'APPROVED' })).status).toBe(404);
    const bad = await kycOutcome(tenant, customer.customerId, { outcome: 'MAYBE' });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('outcome');
    expect((await kycOutcome(tenant, 'cust_123', { outcome: 'APPROVED' })).body.details[0].field).toBe('customerId');
  });
});

describe('POST /api/v2.1/sandbox/organizations/{organizationId}/kyb-outcome', () => {
  it("approves the organization's pending KYB through the vendor callback, and records kyb.completed", async () => {
    const org = await readyForKyb(h, tenant, { businessName: `Silent Trading ${Date.now().toString(36)}` });
    expect((await kybOutcome(tenant, org.id, { outcome: 'APPROVED' })).status).toBe(409); // KYB not started yet
    await expectStatus(tenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`), 202);
    const row = await kybRow(h, org.id, (r) => r.check_id !== null);

    const forced = await kybOutcome(tenant, org.id, { outcome: 'APPROVED' });
    expect(forced.status).toBe(202);
    expect(forced.body).toEqual({ organizationId: org.id, verificationId: row.id, outcome: 'APPROVED' });
    await waitForOrganization(tenant, org, 'APPROVED');

    const events = await waitForEvent(h, tenant.tenantId, org.id, 'customer.status_changed', { status: 'APPROVED' });
    expectCatalogueShapes(events);
    expect(events.filter((e) => e.type === 'kyb.completed').map((e) => e.data)).toEqual([{ customerId: org.id, customerType: 'ORGANIZATION', outcome: 'APPROVED' }]);
    expect(events.filter((e) => e.type === 'customer.status_changed').map((e) => [e.data.previousStatus, e.data.status])).toEqual([
      [null, 'ONBOARDING'],
      ['ONBOARDING', 'APPROVED'],
    ]);
    // While the checks ran, the requirements said what was being checked; once approved, activation is due.
    const requirements = events.filter((e) => e.type === 'customer.requirements_changed').map((e) => e.data);
    expect(requirements.some((r) => r.pendingVerification.includes('KYB'))).toBe(true);
    expect(requirements.at(-1)).toMatchObject({ currentlyDue: ['ACTIVATION'], pendingVerification: [] });
    expect(JSON.stringify(events)).not.toContain(org.email);

    const other = await createTenant(h, 'Another Bank');
    expect((await kybOutcome(other, org.id, { outcome: 'APPROVED' })).status).toBe(404);
  });
});
