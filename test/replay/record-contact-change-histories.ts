/**
 * Records histories of the contactChange workflow into test/histories/ as `contact-change-<scenario>.json`
 * (`npm run record-histories` runs this beside the other recorders; it is not part of `npm test`): a change
 * confirmed by its code, one cancelled, and one whose code never came (a 6-second code lifetime).
 */
import { contactChangeWorkflowId } from '../../common/contact-change-contract';
import { changesPath, emailCode, requestChange } from '../support/contact-changes';
import { startHarness, type Harness } from '../support/harness';
import { activeCustomer } from '../support/journey';
import { createTenant, uniqueEmail, type TenantSession } from '../support/tenant-client';
import { FIXTURE_SECRETS, saveHistory } from './histories';

let h: Harness;
let tenant: TenantSession;
let customerId: string;
beforeAll(async () => {
  h = await startHarness('record_contact_change', { secrets: FIXTURE_SECRETS, env: { CONTACT_CHANGE_CODE_TTL_MINUTES: '0.1' } });
  tenant = await createTenant(h);
  customerId = (await activeCustomer(h, tenant)).customerId;
});
afterAll(() => h?.close());

const call = (...args: Parameters<TenantSession['call']>) => tenant.call(...args);
const handleOf = (channel: 'EMAIL' | 'PHONE') => h.temporal.workflow.getHandle(contactChangeWorkflowId(tenant.tenantId, customerId, channel));

it('records a change confirmed by its code', async () => {
  const email = uniqueEmail('fixture');
  const change = await requestChange(call, customerId, { email });
  expect((await call('POST', `${changesPath(customerId)}/${change.change_id}/verification`, { code: await emailCode(h, email) })).status).toBe(200);
  expect(await handleOf('EMAIL').result()).toBe('COMPLETED');
  saveHistory('contact-change-completed', await handleOf('EMAIL').fetchHistory());
});

it('records a cancelled change', async () => {
  const change = await requestChange(call, customerId, { phone: '+14155550150' });
  expect((await call('DELETE', `${changesPath(customerId)}/${change.change_id}`)).status).toBe(200);
  expect(await handleOf('PHONE').result()).toBe('CANCELLED');
  saveHistory('contact-change-cancelled', await handleOf('PHONE').fetchHistory());
});

it('records a change whose code never came', async () => {
  await requestChange(call, customerId, { email: uniqueEmail('never') });
  expect(await handleOf('EMAIL').result()).toBe('EXPIRED');
  saveHistory('contact-change-expired', await handleOf('EMAIL').fetchHistory());
});
