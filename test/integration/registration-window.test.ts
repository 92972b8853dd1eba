/** Long timers, proved on the time-skipping test server: a minute-long window passes in moments. */
import { INDIVIDUAL_ONBOARDING_WORKFLOW, onboardingWorkflowId, snapshotQuery } from '../../common/onboarding-contract';
import { useTimeSkippingOnboardings } from '../support/time-skipping';

const TENANT = 'tnt_window';
const TASK_QUEUE = 'registration-window';
const { env, runWorker } = useTimeSkippingOnboardings(TENANT, TASK_QUEUE);

it('ends the onboarding as REGISTRATION_FAILED when nobody registers within the registration window', async () => {
  const input = { tenantId: TENANT, customerId: 'cust_000000000000000000000001' };
  await runWorker({}, async () => {
    // Started without its registration update, as a caller that crashed mid-request would leave it.
    const handle = await env().client.workflow.start(INDIVIDUAL_ONBOARDING_WORKFLOW, {
      workflowId: onboardingWorkflowId(input.tenantId, input.customerId),
      taskQueue: TASK_QUEUE,
      args: [input],
    });
    expect(await handle.query(snapshotQuery)).toMatchObject({ status: 'REGISTERING' });
    const before = await env().currentTimeMs();
    expect(await handle.result()).toEqual({ customerId: input.customerId, status: 'REGISTRATION_FAILED' });
    expect((await env().currentTimeMs()) - before).toBeGreaterThanOrEqual(60_000);
  });
});
