/**
 * Individual onboardings on the time-skipping test server (long waits in seconds of real time), with in-memory
 * doubles of the I/O boundary that record each call with the workflow time the server scheduled it at.
 */
import { Context } from '@temporalio/activity';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { OnboardingActivities } from '../../activities';
import type { SendCustomerEmailInput } from '../../activities/customer-emails';
import type { RecordStatusInput } from '../../activities/status';
import { INDIVIDUAL_ONBOARDING_WORKFLOW, onboardingWorkflowId, registerUpdate, type OnboardingInput } from '../../common/onboarding-contract';
import { DEFAULT_POLICY } from '../../common/onboarding-policy';
import { DueRequirementKey, KycStatusKey, OnboardingStatusKey } from '../../common/search-attributes';
import type { CustomerStatus } from '../../common/statuses';
import type { individualOnboarding } from '../../workflows/individual-onboarding';
import { testInfrastructure } from './infrastructure';

export type SentEmail = SendCustomerEmailInput & { at: number; recordedStatus: CustomerStatus };
export type RecordedStatus = RecordStatusInput & { at: number };

/** Doubles of the activities the individual flow calls before KYC; `at` is workflow time. */
export function boundaryDoubles() {
  const emails: SentEmail[] = [];
  const statuses: RecordedStatus[] = [];
  let recordedStatus: CustomerStatus = 'PENDING_EMAIL_VERIFICATION';
  const at = () => Context.current().info.scheduledTimestampMs;
  const activities: Pick<
    OnboardingActivities,
    'createIndividualCustomer' | 'sendVerificationEmail' | 'sendCustomerEmail' | 'recordStatus' | 'hasConsumedCode'
  > = {
    createIndividualCustomer: async () => ({ createdAt: new Date().toISOString() }),
    sendVerificationEmail: async () => ({ sent: true, deduplicated: false }),
    sendCustomerEmail: async (input) => {
      emails.push({ ...input, at: at(), recordedStatus });
      return { sent: true, deduplicated: false };
    },
    recordStatus: async (input) => {
      statuses.push({ ...input, at: at() });
      recordedStatus = input.status;
    },
    // The API consumed the code (the edge's part, proved in verification-limits.test.ts).
    hasConsumedCode: async () => true,
  };
  return { emails, statuses, activities };
}

/** Starts the server once for the test file (beforeAll/afterAll) and gives its helpers. */
export function useTimeSkippingOnboardings(tenantId: string, taskQueue: string) {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testInfrastructure().timeSkippingServerPath } },
    });
    // The workflow mirrors its status, first due requirement and KYC status in these search attributes; the test server
    // refuses undefined ones (the workflow task would fail and retry until the test times out).
    const keyword = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: { [OnboardingStatusKey.name]: keyword, [DueRequirementKey.name]: keyword, [KycStatusKey.name]: keyword },
    });
  });
  afterAll(() => env?.teardown());

  return {
    env: () => env,

    async runWorker(activities: object, test: () => Promise<void>): Promise<void> {
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: { codePath: testInfrastructure().workflowBundlePath },
        activities,
      });
      await worker.runUntil(test);
    },

    /**
     * Registers without a phone or profile; returns the handle, the registration and the workflow time it happened.
     * The test server has no update-with-start, so the workflow starts first and then takes the update.
     */
    async register(customerId: string, input: Partial<OnboardingInput> = {}) {
      const handle = await env.client.workflow.start<typeof individualOnboarding>(INDIVIDUAL_ONBOARDING_WORKFLOW, {
        workflowId: onboardingWorkflowId(tenantId, customerId),
        taskQueue,
        args: [{ tenantId, customerId, policy: DEFAULT_POLICY, ...input }],
        workflowIdConflictPolicy: 'FAIL',
      });
      const registration = { firstName: 'Ada', lastName: 'Lovelace', email: `${customerId}@example.test`, marketingConsent: false };
      await handle.executeUpdate(registerUpdate, { args: [registration] });
      return { handle, registration, registeredAt: await env.currentTimeMs() };
    },
  };
}
