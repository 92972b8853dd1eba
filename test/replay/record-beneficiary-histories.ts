/**
 * Records histories of the beneficiaryConfirmation workflow into test/histories/ as `beneficiary-<scenario>.json`
 * (`npm run record-histories` runs this beside the other recorders; it is not part of `npm test`): a beneficiary
 * confirmed after one resend, one deleted while pending, and one left to expire.
 */
import { beneficiaryConfirmationWorkflowId } from '../../common/beneficiary-contract';
import { beneficiariesOf, confirmationCode, US_ACCOUNT, waitForBeneficiary } from '../support/beneficiaries';
import { startHarness, type Harness } from '../support/harness';
import { activeCustomer, tenantWithSettings } from '../support/journey';
import type { TenantSession } from '../support/tenant-client';
import { FIXTURE_SECRETS, saveHistory } from './histories';

let h: Harness;
let tenant: TenantSession;
let customer: { customerId: string; email: string };
beforeAll(async () => {
  h = await startHarness('record_beneficiary', { secrets: FIXTURE_SECRETS, env: { BENEFICIARY_CONFIRMATION_TTL_MINUTES: '0.1' } });
  tenant = await tenantWithSettings(h, { resendCooldownSeconds: 1 });
  customer = await activeCustomer(h, tenant);
});
afterAll(() => h?.close());

const handleOf = (beneficiaryId: string) => h.temporal.workflow.getHandle(beneficiaryConfirmationWorkflowId(tenant.tenantId, beneficiaryId));

async function added(accountNumber: string): Promise<{ id: string; account_masked: string }> {
  const res = await tenant.call('POST', beneficiariesOf(customer.customerId), { ...US_ACCOUNT, account_number: accountNumber });
  expect(res.status).toBe(202);
  return res.body.data;
}

it('records a beneficiary confirmed with the code of a resend', async () => {
  const beneficiary = await added('80000001');
  const path = `${beneficiariesOf(customer.customerId)}/${beneficiary.id}`;
  await confirmationCode(h, customer.email, beneficiary.account_masked);
  let resent = await tenant.call('POST', `${path}/confirmation/resend`);
  for (const deadline = Date.now() + 5_000; resent.status === 429 && Date.now() < deadline; resent = await tenant.call('POST', `${path}/confirmation/resend`)) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(resent.status).toBe(202);
  const code = await confirmationCode(h, customer.email, beneficiary.account_masked, 2);
  expect((await tenant.call('POST', `${path}/confirmation`, { code })).status).toBe(200);
  expect(await handleOf(beneficiary.id).result()).toBe('SETTLED');
  saveHistory('beneficiary-resent-confirmed', await handleOf(beneficiary.id).fetchHistory());
});

it('records a beneficiary deleted while pending', async () => {
  const beneficiary = await added('80000002');
  await confirmationCode(h, customer.email, beneficiary.account_masked);
  expect((await tenant.call('DELETE', `${beneficiariesOf(customer.customerId)}/${beneficiary.id}`)).status).toBe(204);
  expect(await handleOf(beneficiary.id).result()).toBe('SETTLED');
  saveHistory('beneficiary-deleted-pending', await handleOf(beneficiary.id).fetchHistory());
});

it('records a beneficiary left to expire', async () => {
  const beneficiary = await added('80000003');
  await waitForBeneficiary(tenant.call, `${beneficiariesOf(customer.customerId)}/${beneficiary.id}`, 'EXPIRED');
  expect(await handleOf(beneficiary.id).result()).toBe('EXPIRED');
  saveHistory('beneficiary-expired', await handleOf(beneficiary.id).fetchHistory());
});
