/**
 * Organization (B2B) onboarding: one durable workflow per organization, id = onboardingWorkflowId(tenant, org).
 *
 * The story (./organization/steps.ts, on the step engine): registration (the company and its representative, who
 * becomes a party) → the representative's e-mail verification → the tenant's required consents → the people and
 * documents KYB needs → KYB, started by the tenant: the company's check and one identity check per person to
 * verify (representative, directors, computed UBOs), as child workflows → compliance review when any did not pass
 * → APPROVED → activation by the tenant → ACTIVE and a welcome e-mail.
 *
 * What it guarantees:
 * - registration is acknowledged only after the organization's rows (and its representative's party row) are
 *   committed, and is accepted at most once; a registration the database refuses (same registration number in the
 *   same country) ends the workflow with nothing stored;
 * - every action is checked against the current step before anything is written, and a refusal names what is
 *   due; KYB starts only when the tables hold what it needs, and in the same transaction that freezes the people;
 * - every status change is persisted with a history row and mirrored in search attributes (OnboardingStatus,
 *   KybStatus, DueRequirement; ids and statuses only);
 * - each e-mail goes out at most once for its step; codes and notices never hold the lifecycle;
 * - a step waiting on the representative reminds them every `reminderAfter`; no progress for `expireAfter`
 *   ends the onboarding as EXPIRED. Checks and staff decisions have no deadline here (the children have theirs);
 * - a long onboarding continues as new between steps, never while its checks run.
 */
import { ActivityFailure, allHandlersFinished, ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { FailureType } from '../common/onboarding-contract';
import {
  OrganizationAlreadyExists,
  organizationSnapshotQuery,
  registerOrganizationUpdate,
  type OrganizationOnboardingInput,
  type OrganizationOnboardingStatus,
  type OrganizationRegistration,
} from '../common/organization-contract';
import { DEFAULT_POLICY } from '../common/onboarding-policy';
import { store } from './organization/activities';
import { registerOrganizationHandlers } from './organization/handlers';
import { notify, sendFirstCodeBeside } from './organization/messages';
import { snapshotOf } from './organization/snapshot';
import { OrganizationState } from './organization/state';
import { ORGANIZATION } from './organization/steps';

/** A caller that started the workflow must register within this window, or the workflow ends. */
const REGISTRATION_WINDOW = '1 minute';
/** Continue as new past this many events even if the server has not suggested it yet (its limit is 51,200). */
const DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS = 10_000;

export async function organizationOnboarding(input: OrganizationOnboardingInput): Promise<{ organizationId: string; status: OrganizationOnboardingStatus }> {
  const state = new OrganizationState(input, input.policy ?? DEFAULT_POLICY);
  setHandler(organizationSnapshotQuery, () => snapshotOf(state));
  acceptRegistration(state);
  if (!input.carried) {
    await condition(() => state.status !== 'REGISTERING', REGISTRATION_WINDOW);
    if (state.status !== 'EMAIL_VERIFICATION') {
      await condition(allHandlersFinished); // a registration still in flight answers its caller first
      return { organizationId: state.organizationId, status: 'REGISTRATION_FAILED' };
    }
    state.lastProgressAt = Date.now();
  }
  registerOrganizationHandlers(state);
  if (!input.carried) sendFirstCodeBeside(state);

  await ORGANIZATION.run(state, { mayContinueAsNew: true, continueAsNewAfterEvents: input.continueAsNewAfterEvents ?? DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS });
  if (state.status === 'ACTIVE') notify(state, 'welcome', 'welcome');
  await ORGANIZATION.finish(state);
  return { organizationId: state.organizationId, status: state.organizationStatus };
}

function acceptRegistration(state: OrganizationState): void {
  let started = false;
  setHandler(
    registerOrganizationUpdate,
    async (registration: OrganizationRegistration) => {
      started = true;
      const { tenantId } = state.input;
      const organizationId = state.organizationId;
      // The first requirements are recorded with the organization's rows: registration waits on no second activity.
      const requirements = ORGANIZATION.requirementsToRecord(state, 'EMAIL_VERIFICATION');
      const { createdAt } = await store.createOrganization({ tenantId, organizationId, registration, ...(requirements ? { requirements } : {}) }).catch((error: unknown) => {
        state.status = 'REGISTRATION_FAILED';
        throw asRegistrationFailure(error);
      });
      state.status = 'EMAIL_VERIFICATION';
      if (requirements) state.publishedRequirements = requirements;
      await ORGANIZATION.publish(state, true);
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
