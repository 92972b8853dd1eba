/**
 * Records histories of the identity-verification child into test/histories/ as `idv-<scenario>.json`
 * (`npm run record-histories`, beside the individual's recorder). Children are started as a parent would start
 * them; parties come from the test-only reader. Re-record only for a change meant to be incompatible.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { startHarness, type Harness } from '../support/harness';
import { waitForEmails } from '../support/inbox';
import { invitationCodeIn, organizationRow, partyBook, staffDecision, startIdentityCheck, waitForCheck } from '../support/identity';
import { PERSON_PROFILE, readyForKyc, tenantWithSettings } from '../support/journey';
import { uniqueEmail, type TenantSession } from '../support/tenant-client';
import { FIXTURE_SECRETS, saveHistory } from './histories';

const parties = partyBook();
let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('record_identity', { secrets: FIXTURE_SECRETS, activityDeps: { partyReader: parties } });
  tenant = await tenantWithSettings(h, {});
});
afterAll(() => h?.close());

async function record(scenario: string, handle: WorkflowHandle, expectedStatus: string) {
  expect(await handle.result()).toMatchObject({ status: expectedStatus });
  saveHistory(`idv-${scenario}`, await handle.fetchHistory());
}

async function party(lastName: string, policy = {}) {
  const orgId = await organizationRow(h, tenant.tenantId);
  const email = uniqueEmail('director');
  const partyId = parties.add(tenant.tenantId, orgId, { firstName: 'Dana', lastName, email });
  const handle = await startIdentityCheck(h, { tenantId: tenant.tenantId, customerId: orgId, subject: { type: 'PARTY', id: partyId }, policy });
  return { orgId, partyId, email, handle };
}

async function supplyDetails(p: Awaited<ReturnType<typeof party>>) {
  const [invitation] = await waitForEmails(h.infra.inboxUrl, p.email);
  const res = await tenant.call('POST', `/api/v2.1/customer/${p.orgId}/persons/${p.partyId}/details`, { invitationCode: invitationCodeIn(invitation.text), profile: PERSON_PROFILE });
  if (res.status !== 200) throw new Error(`details: ${res.status} ${JSON.stringify(res.body)}`);
}

it('records an individual (CUSTOMER subject) approved by the provider', async () => {
  const customer = await readyForKyc(h, tenant);
  const handle = await startIdentityCheck(h, { tenantId: tenant.tenantId, customerId: customer.customerId, subject: { type: 'CUSTOMER', id: customer.customerId }, role: 'INDIVIDUAL' });
  await record('customer-approved', handle, 'APPROVED');
});

it('records a party invited for details, flagged for review, approved by staff', async () => {
  const p = await party('Review');
  await supplyDetails(p);
  const review = await waitForCheck(p.handle, 'MANUAL_REVIEW');
  const res = await staffDecision(h, review.verificationId!, { decision: 'APPROVE', reason: 'False positive' });
  if (res.status !== 200) throw new Error(`decision: ${res.status}`);
  await record('party-details-review-approved', p.handle, 'APPROVED');
});

it('records a party the provider never decides: polled, manual review, rejected by staff', async () => {
  const p = await party('Silent', { kycResultTimeout: '3 seconds', kycFirstPollAfter: '1 second' });
  await supplyDetails(p);
  const review = await waitForCheck(p.handle, 'MANUAL_REVIEW');
  await staffDecision(h, review.verificationId!, { decision: 'REJECT', reason: 'Could not be verified' });
  await record('party-silent-polled-rejected', p.handle, 'REJECTED');
});

it('records a party whose details never come: reminded, then expired', async () => {
  const p = await party('Doe', { reminderAfter: '1 second', expireAfter: '3 seconds' });
  await record('party-details-expired', p.handle, 'EXPIRED');
});
