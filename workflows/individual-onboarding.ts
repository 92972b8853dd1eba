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
 *   refused), and every status change is persisted with a history row and mirrored in search attributes
 *   (OnboardingStatus, DueRequirement, KycStatus) and in the current details the Temporal UI shows;
 * - each e-mail or SMS goes out at most once for its step, however often an activity is retried;
 * - a step waiting on the customer sends a reminder every `reminderAfter`; no progress for `expireAfter`
 *   ends the onboarding as EXPIRED and tells the customer. Such notices never hold the lifecycle: one that
 *   cannot be sent is dropped after bounded retries and the deadline still applies;
 * - verification codes never hold it either: the first e-mail code goes out beside the loop and is retried until
 *   the deadline (or until a newer code or the end of the step makes it moot); a code asked for through the API
 *   is tried for a few seconds, and one that cannot be sent answers the request 503 so the tenant can ask again;
 * - a KYC check ends APPROVED, REJECTED or in MANUAL_REVIEW: a lost callback is caught by polling, and a
 *   provider that cannot answer sends the case to manual review with the reason; since individual-kyc-child it
 *   runs in the identity-verification child (./individual/kyc-child.ts), the tenant seeing the same statuses;
 * - a contact counts as verified only when the API has consumed a code sent to it (checked through an activity);
 * - a long onboarding continues as new between steps, carrying its whole state, so its history stays bounded.
 * Personal data reaches this code only inside encrypted payloads; search attributes carry ids and statuses.
 *
 * The steps run on the step engine (./engine): the list below is the whole story after registration; the
 * handlers (./individual/handlers.ts) move the onboarding from step to step as the customer, tenant and staff act.
 */
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { snapshotQuery, type OnboardingInput, type OnboardingOutcome, type OnboardingStatus } from '../common/onboarding-contract';
import { lifecycleOf } from '../common/lifecycle';
import { DEFAULT_POLICY } from '../common/onboarding-policy';
import type { CustomerStatus } from '../common/statuses';
import { applied, customerStep, defineFlow, providerCheck, staffDecision, tenantStep } from './engine';
import { io } from './individual/activities';
import { firstCodeStillDue, sendFirstEmailCodeBeside } from './individual/codes';
import { registerActionHandlers } from './individual/handlers';
import { runKycCheck } from './individual/kyc';
import { KYC_STATUS_ATTRIBUTE, kycStatusAttribute } from './individual/kyc-status';
import { legacyLifecycle, sendFirstEmailCode } from './individual/legacy';
import { noticesSettled, notify } from './individual/notifications';
import { acceptRegistration } from './individual/registration';
import { OnboardingState } from './individual/state';

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

/** After registration, in the order the customer meets them; consents may be given at any step before KYC. */
const ONBOARDING = defineFlow<OnboardingStatus, OnboardingState>({
  steps: [
    customerStep('PENDING_EMAIL_VERIFICATION'),
    customerStep('PENDING_PHONE_VERIFICATION'), // when a phone was given
    customerStep('PENDING_PROFILE'), // when registration lacked it
    customerStep('PENDING_CONSENTS'),
    tenantStep('PENDING_KYC'), // the tenant starts KYC
    providerCheck('KYC_IN_PROGRESS', runKycCheck), // → KYC_APPROVED, REJECTED, or MANUAL_REVIEW (in the child: until it ends)
    staffDecision('MANUAL_REVIEW'), // → KYC_APPROVED or REJECTED
    tenantStep('KYC_APPROVED'), // the tenant activates → ACTIVE
  ],
  deadlines: (state) => state.policy,
  due: (state) => state.due(),
  errors: (state) => state.errors(),
  indexedOnMove: (state) => (applied(KYC_STATUS_ATTRIBUTE) ? kycStatusAttribute(state.status) : []),
  recordStatus: ({ input: { tenantId, customerId } }, status, reason, requirements) =>
    io.recordStatus({ tenantId, customerId, status: status as CustomerStatus, reason, ...(requirements ? { requirements } : {}) }),
  recordRequirements: ({ input: { tenantId, customerId } }, requirements) => io.recordRequirements({ tenantId, customerId, requirements }),
  remind: (state) => notify(state, 'reminder', `reminder/${state.reminders}`),
  expire: async (state, flow) => {
    await flow.moveTo(state, 'EXPIRED', 'No progress before the deadline');
    await notify(state, 'expired', 'expired');
  },
  settle: noticesSettled,
  nextRun: (state): OnboardingInput => ({ ...state.input, carried: state.carry() }),
});

export async function individualOnboarding(input: OnboardingInput): Promise<OnboardingOutcome> {
  const state = new OnboardingState(input, input.policy ?? DEFAULT_POLICY);
  setHandler(snapshotQuery, () => ({ ...state.snapshot(), lifecycleStatus: lifecycleOf(state.status), requirements: ONBOARDING.requirements(state) }));
  acceptRegistration(ONBOARDING, state);
  if (input.carried) return carryOn(state);

  await condition(() => state.status !== 'REGISTERING', REGISTRATION_WINDOW);
  if (state.status === 'REGISTERING' || state.status === 'REGISTRATION_FAILED') {
    // A registration still in flight answers its caller before the workflow closes.
    await condition(allHandlersFinished);
    return { customerId: input.customerId, status: 'REGISTRATION_FAILED' };
  }

  if (!applied(FULL_LIFECYCLE)) return legacyLifecycle(state);
  // Handlers first: the customer may act (resend, consents) while the first code is still on its way.
  registerActionHandlers(ONBOARDING, state);
  state.lastProgressAt = Date.now();
  if (applied(DETACHED_FIRST_CODE)) sendFirstEmailCodeBeside(state);
  else await sendFirstEmailCode(state);
  return carryOn(state);
}

/** The onboarding from its current step to the end, in this run or, when the history grows long, the next. */
async function carryOn(state: OnboardingState): Promise<OnboardingOutcome> {
  if (state.input.carried) registerActionHandlers(ONBOARDING, state);
  if (state.input.carried && firstCodeStillDue(state)) sendFirstEmailCodeBeside(state);
  const mayContinueAsNew = state.input.carried !== undefined || applied(CONTINUE_AS_NEW);
  const continueAsNewAfterEvents = state.input.continueAsNewAfterEvents ?? DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS;
  await ONBOARDING.run(state, { mayContinueAsNew, continueAsNewAfterEvents });
  if (state.status === 'ACTIVE') await notify(state, 'welcome', 'welcome');
  await ONBOARDING.finish(state);
  return { customerId: state.input.customerId, status: state.status };
}
