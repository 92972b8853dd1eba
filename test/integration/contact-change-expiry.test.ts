/**
 * A contact change whose code never comes: with a 3-second CONTACT_CHANGE_CODE_TTL_MINUTES the workflow's timer ends
 * it as EXPIRED, the late code answers 409, and nothing changed. Its own harness: the lifetime is process-wide.
 */
import { changesPath, emailCode, requestChange, waitForChange } from '../support/contact-changes';
import { startHarness, type Harness } from '../support/harness';
import { activeCustomer } from '../support/journey';
import { createTenant, uniqueEmail, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('contact-change-expiry', { env: { CONTACT_CHANGE_CODE_TTL_MINUTES: '0.05' } });
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

it('expires a change whose code did not come in time: EXPIRED, the late code refused with 409, the e-mail unchanged', async () => {
  const customer = await activeCustomer(h, tenant);
  const email = uniqueEmail('late');
  const call = tenant.call.bind(tenant);
  const change = await requestChange(call, customer.customerId, { email });
  expect(Date.parse(change.expires_at) - Date.parse(change.created_at)).toBe(3_000);
  const code = await emailCode(h, email);
  await waitForChange(call, customer.customerId, change.change_id, 'EXPIRED');
  const late = await call('POST', `${changesPath(customer.customerId)}/${change.change_id}/verification`, { code });
  expect(late.status).toBe(409);
  expect(late.body).toEqual({ error: 'CONFLICT', message: expect.stringContaining('EXPIRED') });
  expect(await h.db('customers').where({ id: customer.customerId }).first('email')).toEqual({ email: customer.email });
  expect(await h.db('profile_changes').where({ customer_id: customer.customerId, source: 'CONTACT_CHANGE' })).toHaveLength(0);
});
