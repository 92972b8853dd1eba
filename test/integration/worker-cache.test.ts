/**
 * The worker's sticky cache is bounded (WORKER_MAX_CACHED_WORKFLOWS): with room for two workflows, three parked
 * onboardings do not all stay in memory, and each one still takes its next steps when the customer acts, the ones
 * evicted being replayed from their histories.
 */
import { startHarness, type Harness } from '../support/harness';
import { waitForEmails } from '../support/inbox';
import { PROFILE, register, verifyEmail } from '../support/journey';
import { createTenant, type TenantSession } from '../support/tenant-client';

const CACHE_SIZE = 2;

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('worker_cache', { env: { WORKER_MAX_CACHED_WORKFLOWS: String(CACHE_SIZE) } });
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

it('keeps at most WORKER_MAX_CACHED_WORKFLOWS parked onboardings in memory, and each evicted one still progresses', async () => {
  const customers = [];
  for (let i = 0; i < 3; i++) {
    const customer = await register(tenant);
    await waitForEmails(h.infra.inboxUrl, customer.email); // its post-registration workflow task has run
    customers.push(customer);
  }
  expect(h.worker!.getStatus().numCachedWorkflows).toBeLessThanOrEqual(CACHE_SIZE);

  // Oldest first: the first two were pushed out of the cache by the ones after them.
  for (const customer of customers) {
    const verified = await verifyEmail(h, tenant, customer);
    expect(verified.status).toBe(200);
    expect(verified.body.status).toBe('PENDING_PROFILE');
  }
  for (const customer of customers) {
    const profiled = await tenant.call('PUT', `/v2/profile/${customer.customerId}`, PROFILE);
    expect(profiled.status).toBe(200);
    expect(profiled.body.status).toBe('PENDING_CONSENTS');
  }
  expect(h.worker!.getStatus().numCachedWorkflows).toBeLessThanOrEqual(CACHE_SIZE);
});
