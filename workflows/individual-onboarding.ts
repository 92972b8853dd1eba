/**
 * Individual (B2C) onboarding: one durable workflow per customer, id = onboardingWorkflowId(tenant, customer).
 *
 * What it guarantees:
 * - registration is acknowledged only after the customer row is committed, and is accepted at most once;
 * - a registration the database refuses (e-mail taken) ends the workflow with nothing stored;
 * - the verification e-mail goes out exactly once for its step, however often the activity is retried;
 * - an onboarding that makes no progress within `expireAfter` ends as EXPIRED.
 * Personal data reaches this code only inside encrypted payloads; search attributes carry ids and statuses.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { OnboardingActivities } from '../activities';
import {
  FailureType,
  registerUpdate,
  snapshotQuery,
  type IndividualRegistration,
  type OnboardingInput,
  type OnboardingOutcome,
  type OnboardingSnapshot,
  type RegistrationReceipt,
} from '../common/onboarding-contract';
import { OnboardingStatusKey } from '../common/search-attributes';
import type { CustomerStatus } from '../common/statuses';

/** The registration insert sits on the API's synchronous path: a local activity, retried briefly. */
const store = proxyLocalActivities<OnboardingActivities>({
  startToCloseTimeout: '5s',
  retry: { initialInterval: '100ms', backoffCoefficient: 2, maximumAttempts: 5 },
});

const io = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m' },
});

/** A caller that started the workflow must register within this window, or the workflow ends. */
const REGISTRATION_WINDOW = '1 minute';
const DEFAULT_EXPIRY = '30 days';

export async function individualOnboarding(input: OnboardingInput): Promise<OnboardingOutcome> {
  const { tenantId, customerId } = input;
  const snapshot: OnboardingSnapshot = { customerId, status: 'REGISTERING', verificationEmailSent: false };
  let registrationStarted = false;

  setHandler(snapshotQuery, () => snapshot);

  setHandler(
    registerUpdate,
    async (registration) => {
      registrationStarted = true;
      const receipt = await register(tenantId, customerId, registration).catch((error: unknown) => {
        snapshot.status = 'REGISTRATION_FAILED';
        throw asRegistrationFailure(error);
      });
      setStatus(snapshot, receipt.status);
      return receipt;
    },
    {
      validator: (_registration) => {
        if (registrationStarted) {
          throw ApplicationFailure.nonRetryable('Customer is already registered', FailureType.AlreadyRegistered);
        }
      },
    },
  );

  await condition(() => snapshot.status !== 'REGISTERING', REGISTRATION_WINDOW);
  if (snapshot.status === 'REGISTERING' || snapshot.status === 'REGISTRATION_FAILED') {
    // A registration still in flight answers its caller before the workflow closes.
    await condition(allHandlersFinished);
    return { customerId, status: 'REGISTRATION_FAILED' };
  }

  await io.sendVerificationEmail({
    tenantId,
    customerId,
    idempotencyKey: `${workflowInfo().workflowId}/verification-email/1`,
  });
  snapshot.verificationEmailSent = true;

  // The next step (e-mail verification) moves the status on; with no progress the onboarding expires.
  const progressed = await condition(
    () => snapshot.status !== 'PENDING_EMAIL_VERIFICATION',
    input.expireAfter ?? DEFAULT_EXPIRY,
  );
  if (!progressed) {
    await io.recordStatus({ tenantId, customerId, status: 'EXPIRED', reason: 'No progress before the deadline' });
    setStatus(snapshot, 'EXPIRED');
  }
  return { customerId, status: snapshot.status };
}

async function register(
  tenantId: string,
  customerId: string,
  registration: IndividualRegistration,
): Promise<RegistrationReceipt> {
  const { createdAt } = await store.createIndividualCustomer({ tenantId, customerId, registration });
  return { customerId, status: 'PENDING_EMAIL_VERIFICATION', createdAt };
}

function setStatus(snapshot: OnboardingSnapshot, status: CustomerStatus): void {
  snapshot.status = status;
  upsertSearchAttributes([{ key: OnboardingStatusKey, value: status }]);
}

/** Business refusals keep their type for the API; anything else becomes one non-retryable failure. */
function asRegistrationFailure(error: unknown): ApplicationFailure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.type === FailureType.EmailAlreadyRegistered) {
    return ApplicationFailure.nonRetryable(cause.message, cause.type);
  }
  return ApplicationFailure.nonRetryable('Registration could not be stored', FailureType.RegistrationFailed);
}
