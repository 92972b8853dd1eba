/**
 * Records histories of the tppConsent workflow into test/histories/ as `tpp-consent-<scenario>.json`
 * (`npm run record-histories` runs this beside the other recorders; it is not part of `npm test`): a grant revoked
 * by the tenant before its expiry, and one left to expire on its timer.
 */
import { startHarness, type Harness } from '../support/harness';
import { activeCustomer } from '../support/journey';
import type { TenantSession } from '../support/tenant-client';
import { consentsOf, enterpriseTenant, inDays, inSeconds, registerTpp, tppConsentWorkflow } from '../support/tpp';
import { FIXTURE_SECRETS, saveHistory } from './histories';

let h: Harness;
let tenant: TenantSession;
let customer: { customerId: string };
let tpp: string;
beforeAll(async () => {
  h = await startHarness('record_tpp_consent', { secrets: FIXTURE_SECRETS });
  tenant = await enterpriseTenant(h);
  customer = await activeCustomer(h, tenant);
  tpp = await registerTpp(tenant, { roles: ['AISP'] });
}, 120_000);
afterAll(() => h?.close());

async function granted(expiresAt: string): Promise<string> {
  const res = await tenant.call('POST', consentsOf(customer.customerId), { tpp_id: tpp, scopes: ['ACCOUNTS_READ'], expires_at: expiresAt });
  expect(res.status).toBe(201);
  return res.body.data.id as string;
}

it('records a grant revoked before its expiry', async () => {
  const consentId = await granted(inDays(90));
  expect((await tenant.call('DELETE', `${consentsOf(customer.customerId)}/${consentId}`)).status).toBe(200);
  const handle = tppConsentWorkflow(h, tenant.tenantId, consentId);
  expect(await handle.result()).toBe('REVOKED');
  saveHistory('tpp-consent-revoked', await handle.fetchHistory());
});

it('records a grant left to expire on its timer', async () => {
  const consentId = await granted(inSeconds(3));
  const handle = tppConsentWorkflow(h, tenant.tenantId, consentId);
  expect(await handle.result()).toBe('EXPIRED');
  expect(await h.db('tpp_consents').where({ id: consentId }).first('status')).toEqual({ status: 'EXPIRED' });
  saveHistory('tpp-consent-expired', await handle.fetchHistory());
});
