/** Long timers, proved on the time-skipping test server: a minute-long window passes in moments. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { INDIVIDUAL_ONBOARDING_WORKFLOW, onboardingWorkflowId, snapshotQuery } from '../../common/onboarding-contract';
import { testInfrastructure } from '../support/infrastructure';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testInfrastructure().timeSkippingServerPath } },
  });
});
afterAll(() => env?.teardown());

it('ends the onboarding as REGISTRATION_FAILED when nobody registers within the registration window', async () => {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'registration-window',
    workflowBundle: { codePath: testInfrastructure().workflowBundlePath },
  });
  const input = { tenantId: 'tnt_window', customerId: 'cust_000000000000000000000001' };
  await worker.runUntil(async () => {
    // Started without its registration update, as a caller that crashed mid-request would leave it.
    const handle = await env.client.workflow.start(INDIVIDUAL_ONBOARDING_WORKFLOW, {
      workflowId: onboardingWorkflowId(input.tenantId, input.customerId),
      taskQueue: 'registration-window',
      args: [input],
    });
    expect(await handle.query(snapshotQuery)).toMatchObject({ status: 'REGISTERING' });
    const before = await env.currentTimeMs();
    expect(await handle.result()).toEqual({ customerId: input.customerId, status: 'REGISTRATION_FAILED' });
    expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(60_000);
  });
});
