/**
 * A long-lived onboarding continues as new and keeps working. On the time-skipping server, days of daily reminders
 * pass in seconds; the workflow input lowers the history threshold so a few reminders are enough to cross it.
 * Activities are in-memory doubles of the I/O boundary.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { OnboardingActivities } from '../../activities';
import {
  emailVerifiedUpdate,
  INDIVIDUAL_ONBOARDING_WORKFLOW,
  onboardingWorkflowId,
  registerUpdate,
  snapshotQuery,
} from '../../common/onboarding-contract';
import { DEFAULT_POLICY } from '../../common/onboarding-policy';
import type { individualOnboarding } from '../../workflows/individual-onboarding';
import { testInfrastructure } from '../support/infrastructure';
import { startTimeSkippingEnvironment } from '../support/time-skipping';

const TENANT = 'tnt_continue';
const TASK_QUEUE = 'continue-as-new';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startTimeSkippingEnvironment();
});
afterAll(() => env?.teardown());

it('continues as new when its history grows long, carrying its state, and still takes a verification', async () => {
  const customerId = 'cust_000000000000000000000201';
  const reminderKeys: string[] = [];
  const activities: Pick<
    OnboardingActivities,
    'createIndividualCustomer' | 'sendVerificationEmail' | 'sendCustomerEmail' | 'recordStatus' | 'hasConsumedCode'
  > = {
    createIndividualCustomer: async () => ({ createdAt: new Date().toISOString() }),
    sendVerificationEmail: async () => ({ sent: true, deduplicated: false }),
    sendCustomerEmail: async (input) => {
      if (input.template === 'reminder') reminderKeys.push(input.idempotencyKey);
      return { sent: true, deduplicated: false };
    },
    recordStatus: async () => undefined,
    hasConsumedCode: async () => true,
  };
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: { codePath: testInfrastructure().workflowBundlePath },
    activities,
  });

  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof individualOnboarding>(INDIVIDUAL_ONBOARDING_WORKFLOW, {
      workflowId: onboardingWorkflowId(TENANT, customerId),
      taskQueue: TASK_QUEUE,
      args: [{ tenantId: TENANT, customerId, policy: DEFAULT_POLICY, continueAsNewAfterEvents: 60 }],
    });
    const registration = { firstName: 'Ada', lastName: 'Lovelace', email: `${customerId}@example.test`, marketingConsent: false };
    await handle.executeUpdate(registerUpdate, { args: [registration] });
    await env.sleep('1 hour');
    const before = await handle.query(snapshotQuery);
    expect(before).toMatchObject({ status: 'PENDING_EMAIL_VERIFICATION', verificationEmailSent: true });

    await env.sleep('10 days');
    const current = await handle.describe();
    expect(current.runId).not.toBe(handle.firstExecutionRunId);
    const first = await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');

    // The continued run answers the same query, reminds with fresh keys, and takes the customer's next step.
    expect(await handle.query(snapshotQuery)).toEqual(before);
    expect(reminderKeys.length).toBeGreaterThanOrEqual(9);
    expect(new Set(reminderKeys).size).toBe(reminderKeys.length);
    const verified = await handle.executeUpdate(emailVerifiedUpdate);
    expect(verified).toMatchObject({ status: 'PENDING_PROFILE', due: expect.arrayContaining(['PROFILE']) });
    // The registration is not accepted again by the continued run.
    await expect(handle.executeUpdate(registerUpdate, { args: [registration] })).rejects.toThrow();
  });
});
