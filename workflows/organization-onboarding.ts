/**
 * Organization (B2B) onboarding: one durable workflow per organization, id = onboardingWorkflowId(tenant, org).
 *
 * The story: registration (the company and its representative) → the representative's e-mail verification →
 * the tenant's required consents → KYB, started by the tenant → compliance review → APPROVED → activation by
 * the tenant → ACTIVE and a welcome e-mail.
 *
 * What it guarantees:
 * - registration is acknowledged only after the organization's rows are committed, and is accepted at most once;
 *   a registration the database refuses (same registration number in the same country) ends the workflow with
 *   nothing stored;
 * - every action is checked against the current step before anything is written, and a refusal names what is
 *   due; every status change is persisted with a history row and mirrored in search attributes
 *   (OnboardingStatus, KybStatus, DueRequirement; ids and statuses only);
 * - each e-mail goes out at most once for its step; codes and notices never hold the lifecycle;
 * - a step waiting on the representative reminds them every `reminderAfter`; no progress for `expireAfter`
 *   ends the onboarding as EXPIRED. Staff decisions have no deadline.
 */
import { ActivityFailure, allHandlersFinished, ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { FailureType, type OnboardingInput } from '../common/onboarding-contract';
import {
  OrganizationAlreadyExists,
  organizationSnapshotQuery,
  registerOrganizationUpdate,
  type OrganizationOnboardingStatus,
  type OrganizationRegistration,
} from '../common/organization-contract';
import { DEFAULT_POLICY } from '../common/onboarding-policy';
import { store } from './organization/activities';
import { registerOrganizationHandlers } from './organization/handlers';
import { sendFirstCodeBeside } from './organization/messages';
import { OrganizationState } from './organization/state';
import { ORGANIZATION_STEPS, settle } from './organization/steps';
import { indexState } from './organization/transitions';

/** A caller that started the workflow must register within this window, or the workflow ends. */
const REGISTRATION_WINDOW = '1 minute';

export async function organizationOnboarding(input: OnboardingInput): Promise<{ organizationId: string; status: OrganizationOnboardingStatus }> {
  const state = new OrganizationState(input, input.policy ?? DEFAULT_POLICY);
  setHandler(organizationSnapshotQuery, () => state.snapshot());
  acceptRegistration(state);
  await condition(() => state.status !== 'REGISTERING', REGISTRATION_WINDOW);
  if (state.status !== 'ONBOARDING') {
    await condition(allHandlersFinished); // a registration still in flight answers its caller first
    return { organizationId: state.organizationId, status: 'REGISTRATION_FAILED' };
  }

  registerOrganizationHandlers(state);
  state.lastProgressAt = Date.now();
  sendFirstCodeBeside(state);
  for (const step of ORGANIZATION_STEPS) {
    while (!state.ended && !step.done(state)) await step.run(state);
    if (state.ended) break;
  }

  await settle(state);
  return { organizationId: state.organizationId, status: state.status };
}

function acceptRegistration(state: OrganizationState): void {
  let started = false;
  setHandler(
    registerOrganizationUpdate,
    async (registration: OrganizationRegistration) => {
      started = true;
      const { tenantId } = state.input;
      const organizationId = state.organizationId;
      const { createdAt } = await store.createOrganization({ tenantId, organizationId, registration }).catch((error: unknown) => {
        state.status = 'REGISTRATION_FAILED';
        throw asRegistrationFailure(error);
      });
      state.status = 'ONBOARDING';
      indexState(state);
      return { organizationId, status: 'ONBOARDING' as const, kybStatus: state.kybStatus, createdAt };
    },
    {
      validator: (_registration) => {
        if (started || state.status !== 'REGISTERING') throw ApplicationFailure.nonRetryable('Organization is already registered', FailureType.AlreadyRegistered);
      },
    },
  );
}

/** The duplicate keeps its type for the API (409); anything else becomes one non-retryable failure. */
function asRegistrationFailure(error: unknown): ApplicationFailure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.type === OrganizationAlreadyExists) return ApplicationFailure.nonRetryable(cause.message, cause.type);
  return ApplicationFailure.nonRetryable('Registration could not be stored', FailureType.RegistrationFailed);
}
