/**
 * Individual (B2C) onboarding: one durable workflow per customer, id = onboardingWorkflowId(tenant, customer).
 *
 * The story: registration → e-mail verification → phone verification (when a phone was given) → profile (when
 * registration lacked it) → the tenant's required consents → KYC with the provider (→ manual review when it
 * cannot decide) → activation by the tenant → welcome e-mail.
 *
 * What it guarantees:
 * - registration is acknowledged only after the customer row is committed, and is accepted at most once; a
 *   registration the database refuses (e-mail taken) ends the workflow with nothing stored;
 * - every action is checked against the current step before anything is written (too early or too late is
 *   refused), and every status change is persisted with a history row and mirrored in search attributes;
 * - each e-mail or SMS goes out at most once for its step, however often an activity is retried;
 * - a step waiting on the customer sends a reminder every `reminderAfter`; no progress for `expireAfter`
 *   ends the onboarding as EXPIRED and tells the customer. Such notices never hold the lifecycle: one that
 *   cannot be sent is dropped after bounded retries and the deadline still applies;
 * - verification codes never hold it either: the first e-mail code goes out beside the loop and is retried until
 *   the deadline (or until a newer code or the end of the step makes it moot); a code asked for through the API
 *   is tried for a few seconds, and one that cannot be sent answers the request 503 so the tenant can ask again;
 * - a KYC check ends APPROVED, REJECTED or in MANUAL_REVIEW: a lost callback is caught by polling, and a
 *   provider that cannot answer sends the case to manual review with the reason;
 * - a contact counts as verified only when the API has consumed a code sent to it (checked through an activity);
 * - a long onboarding continues as new between steps, carrying its whole state, so its history stays bounded.
 * Personal data reaches this code only inside encrypted payloads; search attributes carry ids and statuses.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import {
  FailureType,
  registerUpdate,
  snapshotQuery,
  type IndividualRegistration,
  type KycResult,
  type OnboardingInput,
  type OnboardingOutcome,
  type RegistrationReceipt,
} from '../common/onboarding-contract';
import { DEFAULT_POLICY } from '../common/onboarding-policy';
import { OnboardingStatusKey } from '../common/search-attributes';
import { io, store } from './individual/activities';
import { registerActionHandlers } from './individual/handlers';
import { firstCodeStillDue, sendFirstEmailCodeBeside } from './individual/codes';
import { runKycCheck } from './individual/kyc';
import { noticesSettled, notify } from './individual/notifications';
import { CUSTOMER_STEPS, OnboardingState, WAITING_STATUSES } from './individual/state';
import { moveTo } from './individual/transitions';

/** A caller that started the workflow must register within this window, or the workflow ends. */
const REGISTRATION_WINDOW = '1 minute';
/** Executions started before this patch only waited for expiry after the first e-mail. */
const FULL_LIFECYCLE = 'individual-full-lifecycle';
/** Executions started before this patch never continued as new. */
const CONTINUE_AS_NEW = 'individual-continue-as-new';
/** Executions started before this patch awaited the first code, retried forever, before their first wait. */
const DETACHED_FIRST_CODE = 'individual-detached-first-code';
/** Continue as new past this many events even if the server has not suggested it yet (its limit is 51,200). */
const DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS = 10_000;

export async function individualOnboarding(input: OnboardingInput): Promise<OnboardingOutcome> {
  const state = new OnboardingState(input, input.policy ?? DEFAULT_POLICY);
  const kycResults = new Map<string, KycResult>();
  setHandler(snapshotQuery, () => state.snapshot());
  acceptRegistration(state);
  if (input.carried) return carryOn(state, kycResults);

  await condition(() => state.status !== 'REGISTERING', REGISTRATION_WINDOW);
  if (state.status === 'REGISTERING' || state.status === 'REGISTRATION_FAILED') {
    // A registration still in flight answers its caller before the workflow closes.
    await condition(allHandlersFinished);
    return { customerId: input.customerId, status: 'REGISTRATION_FAILED' };
  }

  if (!patched(FULL_LIFECYCLE)) {
    await sendFirstEmailCode(state);
    return legacyExpiry(state);
  }
  // Handlers first: the customer may act (resend, consents) while the first code is still on its way.
  registerActionHandlers(state, kycResults);
  state.lastProgressAt = Date.now();
  if (patched(DETACHED_FIRST_CODE)) sendFirstEmailCodeBeside(state);
  else await sendFirstEmailCode(state);
  return carryOn(state, kycResults);
}

/** The onboarding from its current step to the end, in this run or, when the history grows long, the next. */
async function carryOn(state: OnboardingState, kycResults: Map<string, KycResult>): Promise<OnboardingOutcome> {
  if (state.input.carried) registerActionHandlers(state, kycResults);
  if (state.input.carried && firstCodeStillDue(state)) sendFirstEmailCodeBeside(state);
  const mayContinueAsNew = state.input.carried !== undefined || patched(CONTINUE_AS_NEW);
  // Between steps, never while a KYC check is open (the next run would submit it again).
  const timeToContinue = () => mayContinueAsNew && state.status !== 'KYC_IN_PROGRESS' && historyIsLong(state);
  while (!state.ended) {
    if (timeToContinue()) {
      state.continuing = true;
      await condition(allHandlersFinished);
      await noticesSettled(state); // promises cannot be carried into the next run
      return continueAsNew<typeof individualOnboarding>({ ...state.input, carried: state.carry() });
    }
    if (state.status === 'KYC_IN_PROGRESS') await runKycCheck(state, kycResults);
    else if (WAITING_STATUSES.has(state.status)) await waitForProgress(state);
    else await condition(() => state.status !== 'MANUAL_REVIEW' || timeToContinue()); // staff decide; no deadline on them
  }
  if (state.status === 'ACTIVE') await notify(state, 'welcome', 'welcome');
  await condition(allHandlersFinished);
  await noticesSettled(state);
  return { customerId: state.input.customerId, status: state.status };
}

function historyIsLong(state: OnboardingState): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= (state.input.continueAsNewAfterEvents ?? DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS);
}

function acceptRegistration(state: OnboardingState): void {
  let started = false;
  setHandler(
    registerUpdate,
    async (registration) => {
      started = true;
      const receipt = await register(state, registration).catch((error: unknown) => {
        state.status = 'REGISTRATION_FAILED';
        throw asRegistrationFailure(error);
      });
      state.hasPhone = registration.phone !== undefined;
      state.profileComplete = registration.profile !== undefined;
      state.status = receipt.status;
      upsertSearchAttributes([{ key: OnboardingStatusKey, value: receipt.status }]);
      return receipt;
    },
    {
      validator: (_registration) => {
        if (started || state.status !== 'REGISTERING') throw ApplicationFailure.nonRetryable('Customer is already registered', FailureType.AlreadyRegistered);
      },
    },
  );
}

async function register(state: OnboardingState, registration: IndividualRegistration): Promise<RegistrationReceipt> {
  const { tenantId, customerId } = state.input;
  const { createdAt } = await store.createIndividualCustomer({ tenantId, customerId, registration });
  return { customerId, status: 'PENDING_EMAIL_VERIFICATION', createdAt };
}

/** The first code as executions started before DETACHED_FIRST_CODE send it: awaited, retried forever. */
async function sendFirstEmailCode(state: OnboardingState): Promise<void> {
  const { tenantId, customerId } = state.input;
  state.noteCodeSent('EMAIL', Date.now());
  await io.sendVerificationEmail({ tenantId, customerId, idempotencyKey: `${workflowInfo().workflowId}/verification-email/1` });
  state.verificationEmailSent = true;
}

/**
 * Waits for the next action; reminds the customer on their steps; expires the onboarding when it stalls.
 * (Date.now() in a workflow is the workflow's own clock, replayed identically: the SDK makes it deterministic.)
 */
async function waitForProgress(state: OnboardingState): Promise<void> {
  const seen = { progress: state.progress, status: state.status };
  const deadline = state.lastProgressAt + msToNumber(state.policy.expireAfter);
  if (Date.now() >= deadline) return expire(state);
  const timeout = Math.min(msToNumber(state.policy.reminderAfter), deadline - Date.now());
  const moved = await condition(() => state.progress !== seen.progress || state.status !== seen.status, timeout);
  if (moved || state.ended) return;
  if (Date.now() >= deadline) return expire(state);
  if (CUSTOMER_STEPS.has(state.status)) {
    state.reminders += 1;
    await notify(state, 'reminder', `reminder/${state.reminders}`);
  }
}

async function expire(state: OnboardingState): Promise<void> {
  await moveTo(state, 'EXPIRED', 'No progress before the deadline');
  await notify(state, 'expired', 'expired');
}

/** The wait of executions started before FULL_LIFECYCLE existed, kept so they replay unchanged. */
async function legacyExpiry(state: OnboardingState): Promise<OnboardingOutcome> {
  const progressed = await condition(() => state.status !== 'PENDING_EMAIL_VERIFICATION', state.input.expireAfter ?? '30 days');
  if (!progressed) {
    const { tenantId, customerId } = state.input;
    await io.recordStatus({ tenantId, customerId, status: 'EXPIRED', reason: 'No progress before the deadline' });
    state.status = 'EXPIRED';
    upsertSearchAttributes([{ key: OnboardingStatusKey, value: 'EXPIRED' }]);
  }
  return { customerId: state.input.customerId, status: state.status };
}

/** Business refusals keep their type for the API; anything else becomes one non-retryable failure. */
function asRegistrationFailure(error: unknown): ApplicationFailure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.type === FailureType.EmailAlreadyRegistered) {
    return ApplicationFailure.nonRetryable(cause.message, cause.type);
  }
  return ApplicationFailure.nonRetryable('Registration could not be stored', FailureType.RegistrationFailed);
}
