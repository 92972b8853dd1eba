/**
 * Records fresh histories of each onboarding path into test/histories/ (`npm run record-histories`).
 * Runs under jest so it gets the same real infrastructure as the tests; it is not part of `npm test`.
 * Re-record only when a workflow change is meant to be incompatible (and then version the workflow).
 */
import { WithStartWorkflowOperation } from '@temporalio/client';
import { INDIVIDUAL_ONBOARDING_WORKFLOW, onboardingWorkflowId, registerUpdate, type IndividualRegistration } from '../../common/onboarding-contract';
import { startHarness, type Harness } from '../support/harness';
import { FIXTURE_SECRETS, saveHistory } from './histories';

let h: Harness;
const tenantId = 'tnt_replay';

beforeAll(async () => {
  h = await startHarness('record', { secrets: FIXTURE_SECRETS });
  await h.db('tenants').insert({ id: tenantId, name: 'Replay Bank', tier: 'STARTER' });
});
afterAll(() => h?.close());

const registration = (email: string): IndividualRegistration => ({
  firstName: 'Fixture',
  lastName: 'Customer',
  email,
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$Zml4dHVyZQ$Zml4dHVyZS1oYXNo',
  marketingConsent: false,
  termsAcceptedAt: '2026-11-22T00:00:00.000Z',
});

async function registerAndRecord(name: string, customerId: string, email: string, expireAfter?: string) {
  const start = new WithStartWorkflowOperation(INDIVIDUAL_ONBOARDING_WORKFLOW, {
    workflowId: onboardingWorkflowId(tenantId, customerId),
    taskQueue: h.config.TEMPORAL_TASK_QUEUE,
    args: [{ tenantId, customerId, expireAfter }],
    workflowIdConflictPolicy: 'FAIL',
  });
  await h.temporal.workflow.executeUpdateWithStart(registerUpdate, { args: [registration(email)], startWorkflowOperation: start }).catch(() => undefined);
  const handle = await start.workflowHandle();
  await handle.result();
  saveHistory(name, await handle.fetchHistory());
}

it('records the onboarding paths', async () => {
  await registerAndRecord('individual-registered-then-expired', 'cust_00000000000000000000aa01', 'fixture.one@example.com', '3 seconds');
  await registerAndRecord('individual-duplicate-email-refused', 'cust_00000000000000000000aa02', 'FIXTURE.ONE@example.com');
});
