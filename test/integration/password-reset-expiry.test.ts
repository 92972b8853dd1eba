/** The password-reset workflow's timer, on the time-skipping server: a 15-minute code is removed in moments. */
import { codeHashKeyOf } from '../../common/secrets';
import { PASSWORD_RESET_WORKFLOW, passwordResetWorkflowId } from '../../common/password-reset-contract';
import { createPasswordResetActivities } from '../../activities/password-reset';
import { startHarness, type Harness } from '../support/harness';
import { waitForEmails } from '../support/inbox';
import { useTimeSkippingOnboardings } from '../support/time-skipping';
import { createTenant, uniqueEmail } from '../support/tenant-client';

const TASK_QUEUE = 'password-reset-expiry';
const { env, runWorker } = useTimeSkippingOnboardings('unused', TASK_QUEUE);

let h: Harness;
beforeAll(async () => {
  h = await startHarness('reset_expiry', { withWorker: false });
});
afterAll(() => h?.close());

it('mails the code once and removes it when its lifetime is up', async () => {
  const { tenantId } = await createTenant(h);
  const customerId = 'cust_00000000000000000000beef';
  const email = uniqueEmail('expiry');
  await h.db('customers').insert({ id: customerId, tenant_id: tenantId, type: 'INDIVIDUAL', status: 'ACTIVE', email, first_name: 'Ada', last_name: 'Lovelace' });
  const activities = createPasswordResetActivities({ db: h.db, mailer: h.activityDeps.mailer, codeHashKey: codeHashKeyOf(h.secrets) });

  await runWorker(activities, async () => {
    const handle = await env().client.workflow.start(PASSWORD_RESET_WORKFLOW, {
      workflowId: passwordResetWorkflowId(tenantId, 'expiry'),
      taskQueue: TASK_QUEUE,
      args: [{ tenantId, customerId, codeTtlMinutes: 15 }],
    });
    const started = await env().currentTimeMs();
    expect(await handle.result()).toBe('SENT');
    expect((await env().currentTimeMs()) - started).toBeGreaterThanOrEqual(15 * 60_000);
  });
  expect(await waitForEmails(h.infra.inboxUrl, email)).toHaveLength(1);
  expect(await h.db('customer_password_resets').where({ tenant_id: tenantId, customer_id: customerId })).toEqual([]);
});
