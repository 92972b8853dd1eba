/** The workflow's own guarantees, driven through the Temporal client against the dev server and a real worker. */
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  INDIVIDUAL_ONBOARDING_WORKFLOW,
  onboardingWorkflowId,
  registerUpdate,
  snapshotQuery,
  type IndividualRegistration,
  type OnboardingInput,
} from '../../common/onboarding-contract';
import { DEFAULT_POLICY } from '../../common/onboarding-policy';
import { OnboardingStatusKey } from '../../common/search-attributes';
import { newCustomerId } from '../../api/individuals/registration';
import { startHarness, type Harness } from '../support/harness';
import { uniqueEmail } from '../support/tenant-client';

let h: Harness;
const tenantId = 'tnt_workflow';

beforeAll(async () => {
  h = await startHarness('workflow');
  await h.db('tenants').insert({ id: tenantId, name: 'Workflow Bank', tier: 'STARTER' });
});
afterAll(() => h?.close());

function registrationFor(email: string): IndividualRegistration {
  return {
    firstName: 'Grace',
    lastName: 'Hopper',
    email,
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    marketingConsent: true,
    termsAcceptedAt: new Date().toISOString(),
  };
}

async function register(input: OnboardingInput, registration: IndividualRegistration) {
  const start = new WithStartWorkflowOperation(INDIVIDUAL_ONBOARDING_WORKFLOW, {
    workflowId: onboardingWorkflowId(input.tenantId, input.customerId),
    taskQueue: h.config.TEMPORAL_TASK_QUEUE,
    args: [input],
    workflowIdConflictPolicy: 'FAIL',
  });
  const receipt = await h.temporal.workflow.executeUpdateWithStart(registerUpdate, { args: [registration], startWorkflowOperation: start });
  return { receipt, handle: await start.workflowHandle() };
}

it('expires an onboarding that makes no progress before its deadline', async () => {
  const customerId = newCustomerId();
  const { handle } = await register({ tenantId, customerId, policy: { ...DEFAULT_POLICY, expireAfter: '2 seconds' } }, registrationFor(uniqueEmail()));
  expect(await handle.result()).toEqual({ customerId, status: 'EXPIRED' });
  const row = await h.db('customers').where({ id: customerId }).first();
  expect(row.status).toBe('EXPIRED');
  const history = await h.db('customer_status_history').where({ customer_id: customerId }).orderBy('id');
  expect(history.map((r) => r.status)).toEqual(['PENDING_EMAIL_VERIFICATION', 'EXPIRED']);
  expect((await handle.describe()).typedSearchAttributes.get(OnboardingStatusKey)).toBe('EXPIRED');
});

it('accepts a registration once and refuses a second one', async () => {
  const customerId = newCustomerId();
  const { handle } = await register({ tenantId, customerId }, registrationFor(uniqueEmail()));
  await expect(handle.executeUpdate(registerUpdate, { args: [registrationFor(uniqueEmail())] })).rejects.toMatchObject({
    cause: { type: 'AlreadyRegistered' },
  });
  expect(await handle.query(snapshotQuery)).toMatchObject({ customerId, status: 'PENDING_EMAIL_VERIFICATION' });
  expect(await h.db('customers').where({ id: customerId })).toHaveLength(1);
  await handle.terminate('test done');
});

it('ends the workflow, storing nothing, when the database refuses the registration', async () => {
  const email = uniqueEmail();
  await register({ tenantId, customerId: newCustomerId() }, registrationFor(email));
  const customerId = newCustomerId();
  const attempt = register({ tenantId, customerId }, registrationFor(email.toUpperCase()));
  await expect(attempt).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
  await expect(attempt).rejects.toMatchObject({ cause: { type: 'EmailAlreadyRegistered' } });
  const handle = h.temporal.workflow.getHandle(onboardingWorkflowId(tenantId, customerId));
  expect(await handle.result()).toEqual({ customerId, status: 'REGISTRATION_FAILED' });
  expect(await h.db('customers').where({ id: customerId })).toHaveLength(0);
});
