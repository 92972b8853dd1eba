/**
 * The representative's, tenant's and staff's actions on a running organization onboarding. Each validator refuses
 * an action that does not fit the current step before anything is written (409 INVALID_STATE at the API); the
 * handler does the work through activities. The shared actions answer the same update names as individuals.
 */
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import { FailureType } from '../../common/onboarding-contract';
import {
  decideReviewUpdate,
  organizationActivateUpdate,
  organizationEmailVerifiedUpdate,
  organizationGiveConsentUpdate,
  organizationResendEmailCodeUpdate,
  startKybUpdate,
} from '../../common/organization-contract';
import { io } from './activities';
import { sendRequestedCode } from './messages';
import type { OrganizationState } from './state';
import { indexState, invalidState, moveTo, requireStatus } from './transitions';

/** Codes in any rolling 24 hours, the first one included (as for individuals). */
const MAX_CODES_PER_DAY = 5;
const DAY_MS = 24 * 60 * 60 * 1000;

export function registerOrganizationHandlers(state: OrganizationState): void {
  const { tenantId } = state.input;
  const customerId = state.organizationId;

  setHandler(organizationResendEmailCodeUpdate, () => sendRequestedCode(state), {
    validator: () => {
      requireEmailStep(state, 'send a code to the e-mail address');
      throttle(state);
    },
  });

  setHandler(
    organizationEmailVerifiedUpdate,
    async () => {
      // Only a code the API consumed counts: an update sent straight to Temporal changes nothing.
      if (!(await io.hasConsumedCode({ tenantId, customerId, channel: 'EMAIL' }))) {
        throw invalidState(state, 'No code sent to the e-mail address was confirmed; verify through the API with the code');
      }
      state.emailVerified = true;
      state.noteProgress();
      indexState(state);
      return state.snapshot();
    },
    { validator: () => requireEmailStep(state, 'verify the e-mail address') },
  );

  setHandler(
    organizationGiveConsentUpdate,
    async (consent) => {
      const repeat = state.consents.has(consent.type);
      await io.saveConsent({ tenantId, customerId, consent });
      state.consents.add(consent.type);
      if (!repeat) state.noteProgress(); // a repeated consent is no progress: it must not push the deadline back
      indexState(state);
      return state.snapshot();
    },
    {
      validator: (_consent) => {
        requireStatus(state, ['ONBOARDING'], 'record a consent');
        if (state.kybStatus !== 'NOT_STARTED') throw invalidState(state, 'Consents are recorded before KYB starts');
      },
    },
  );

  setHandler(
    startKybUpdate,
    async () => {
      state.kybStarting = true; // runs right after the validator: a concurrent second start meets the flag
      state.noteProgress();
      await moveTo(state, { kybStatus: 'IN_PROGRESS' }, 'KYB started');
      return { organizationId: customerId, kybStatus: state.kybStatus };
    },
    {
      validator: () => {
        if (state.kybStarting) throw invalidState(state, 'KYB has already been started');
        requireStatus(state, ['ONBOARDING'], 'start KYB');
        const due = state.requirements().currentlyDue;
        if (due.length !== 1 || due[0] !== 'KYB') throw invalidState(state, `KYB cannot start yet: ${due.join(', ')} still due`);
      },
    },
  );

  setHandler(
    decideReviewUpdate,
    async ({ decision, reason, reviewer }) => {
      const note = `${decision === 'APPROVE' ? 'Approved' : 'Rejected'} by ${reviewer}: ${reason}`;
      if (decision === 'APPROVE') await moveTo(state, { status: 'APPROVED', kybStatus: 'APPROVED' }, note);
      else await moveTo(state, { status: 'REJECTED', kybStatus: 'REJECTED' }, note);
      state.noteProgress();
      return state.snapshot();
    },
    { validator: (_decision) => requireStatus(state, ['MANUAL_REVIEW'], 'record a review decision') },
  );

  setHandler(
    organizationActivateUpdate,
    async () => {
      await moveTo(state, { status: 'ACTIVE' }, 'Activated');
      return state.snapshot();
    },
    { validator: () => requireStatus(state, ['APPROVED'], 'activate the organization') },
  );
}

function requireEmailStep(state: OrganizationState, action: string): void {
  requireStatus(state, ['ONBOARDING'], action);
  if (state.emailVerified) throw invalidState(state, `Cannot ${action}: it is already verified`);
}

/** The cooldown and the daily cap, from workflow time; a refusal is a rejected update and sends nothing. */
function throttle(state: OrganizationState): void {
  const tooSoon = (wait: number, message: string) =>
    ApplicationFailure.create({ type: FailureType.ResendTooSoon, message, nonRetryable: true, details: [Math.ceil(wait / 1000)] });
  const wait = state.lastCodeSentAt + msToNumber(state.policy.resendCooldown) - Date.now();
  if (wait > 0) throw tooSoon(wait, 'A code was sent moments ago; wait before asking for another');
  const today = state.recentCodeSends.filter((at) => at > Date.now() - DAY_MS);
  if (today.length >= MAX_CODES_PER_DAY) throw tooSoon(today[0] + DAY_MS - Date.now(), `At most ${MAX_CODES_PER_DAY} codes a day; try again later`);
}
