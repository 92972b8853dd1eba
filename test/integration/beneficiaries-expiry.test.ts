/**
 * A beneficiary nobody confirms: with a code lifetime of seconds (BENEFICIARY_CONFIRMATION_TTL_MINUTES=0.1), the
 * confirmation workflow's timer makes it EXPIRED, the code is refused with 409, and the account is taken until the
 * expired beneficiary is deleted.
 */
import { startHarness, type Harness } from '../support/harness';
import { activeCustomer } from '../support/journey';
import { beneficiariesOf, confirmationCode, US_ACCOUNT, waitForBeneficiary } from '../support/beneficiaries';
import { createTenant, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('beneficiary_expiry', { env: { BENEFICIARY_CONFIRMATION_TTL_MINUTES: '0.1' } });
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

it('expires an unconfirmed beneficiary when its code lifetime is up; its code is refused with 409 then', async () => {
  const customer = await activeCustomer(h, tenant);
  const base = beneficiariesOf(customer.customerId);
  const added = await tenant.call('POST', base, US_ACCOUNT);
  expect(added.status).toBe(202);
  const { id, account_masked: masked, confirmation_expires_at: expiresAt } = added.body.data;
  expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(6_000);
  const code = await confirmationCode(h, customer.email, masked);

  const expired = await waitForBeneficiary(tenant.call, `${base}/${id}`, 'EXPIRED');
  expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
  expect(expired).toMatchObject({ status: 'EXPIRED', confirmed_at: null });
  const late = await tenant.call('POST', `${base}/${id}/confirmation`, { code });
  expect(late.status).toBe(409);
  expect(late.body).toEqual({ error: 'CONFLICT', message: expect.stringContaining('EXPIRED') });
  expect(await h.db('beneficiaries').where({ tenant_id: tenant.tenantId, id }).first()).toMatchObject({ status: 'EXPIRED', code_hash: null });
  expect(await h.temporal.workflow.getHandle(`beneficiary-confirmation:${tenant.tenantId}:${id}`).result()).toBe('EXPIRED');

  // The expired beneficiary still holds its account; deleted, it frees it.
  expect((await tenant.call('POST', base, US_ACCOUNT)).status).toBe(409);
  expect((await tenant.call('DELETE', `${base}/${id}`)).status).toBe(204);
  expect((await tenant.call('POST', base, US_ACCOUNT)).status).toBe(202);
});

it('refuses a code past its lifetime with 409 even before the timer has moved the beneficiary', async () => {
  const customer = await activeCustomer(h, tenant);
  const base = beneficiariesOf(customer.customerId);
  const added = await tenant.call('POST', base, US_ACCOUNT);
  const code = await confirmationCode(h, customer.email, added.body.data.account_masked);
  // Stop the workflow's timer from settling it first: the edge alone judges the lifetime here.
  await h.temporal.workflow.getHandle(`beneficiary-confirmation:${tenant.tenantId}:${added.body.data.id}`).terminate('test: the edge judges expiry alone');
  await h.db('beneficiaries').where({ tenant_id: tenant.tenantId, id: added.body.data.id }).update({ confirmation_expires_at: new Date(Date.now() - 1_000) });
  const late = await tenant.call('POST', `${base}/${added.body.data.id}/confirmation`, { code });
  expect(late.status).toBe(409);
  expect(late.body).toEqual({ error: 'CONFLICT', message: expect.stringContaining('expired') });
});
