/**
 * Registration: the one update a new onboarding waits for. It is accepted at most once, acknowledged only after
 * the customer row is committed, and a registration the database refuses (e-mail taken) fails with its type kept.
 */
import { ActivityFailure, ApplicationFailure, setHandler } from '@temporalio/workflow';
import { FailureType, registerUpdate, type IndividualRegistration, type RegistrationReceipt } from '../../common/onboarding-contract';
import type { Requirements } from '../../common/lifecycle';
import { store } from './activities';
import type { IndividualFlow, OnboardingState } from './state';

export function acceptRegistration(flow: IndividualFlow, state: OnboardingState): void {
  let started = false;
  setHandler(
    registerUpdate,
    async (registration) => {
      started = true;
      state.hasPhone = registration.phone !== undefined;
      state.profileComplete = registration.profile !== undefined;
      // The first requirements are recorded with the customer row: registration waits on no second activity.
      const requirements = flow.requirementsToRecord(state, 'PENDING_EMAIL_VERIFICATION');
      const receipt = await register(state, registration, requirements).catch((error: unknown) => {
        state.status = 'REGISTRATION_FAILED';
        throw asRegistrationFailure(error);
      });
      state.status = receipt.status;
      if (requirements) state.publishedRequirements = requirements;
      await flow.publish(state, true);
      return receipt;
    },
    {
      validator: (_registration) => {
        if (started || state.status !== 'REGISTERING') throw ApplicationFailure.nonRetryable('Customer is already registered', FailureType.AlreadyRegistered);
      },
    },
  );
}

async function register(state: OnboardingState, registration: IndividualRegistration, requirements?: Requirements): Promise<RegistrationReceipt> {
  const { tenantId, customerId } = state.input;
  const { createdAt } = await store.createIndividualCustomer({ tenantId, customerId, registration, ...(requirements ? { requirements } : {}) });
  return { customerId, status: 'PENDING_EMAIL_VERIFICATION', createdAt };
}

/** Business refusals keep their type for the API; anything else becomes one non-retryable failure. */
function asRegistrationFailure(error: unknown): ApplicationFailure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.type === FailureType.EmailAlreadyRegistered) {
    return ApplicationFailure.nonRetryable(cause.message, cause.type);
  }
  return ApplicationFailure.nonRetryable('Registration could not be stored', FailureType.RegistrationFailed);
}
