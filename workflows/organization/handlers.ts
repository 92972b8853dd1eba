/**
 * The representative's, tenant's and staff's actions on a running organization onboarding. Each validator refuses
 * an action that does not fit the current step before anything is written (409 INVALID_STATE at the API); the
 * handler does the work through activities. The shared actions answer the same update names as individuals.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import { FailureType } from '../../common/onboarding-contract';
import {
  decideReviewUpdate,
  organizationActivateUpdate,
  organizationEmailVerifiedUpdate,
  organizationGiveConsentUpdate,
  organizationResendEmailCodeUpdate,
  startKybUpdate,
  type ReviewDecision,
} from '../../common/organization-contract';
import type { ConsentGiven } from '../../common/onboarding-contract';
import { io } from './activities';
import { sendRequestedCode } from './messages';
import { snapshotOf } from './snapshot';
import type { OrganizationState } from './state';
import { advanceBeforeKyb, ORGANIZATION } from './steps';
import { indexKybStatus, invalidState, requireSteps } from './transitions';

/** Codes in any rolling 24 hours, the first one included (as for individuals). */
const MAX_CODES_PER_DAY = 5;
const DAY_MS = 24 * 60 * 60 * 1000;

export function registerOrganizationHandlers(state: OrganizationState): void {
  const { tenantId } = state.input;
  const customerId = state.organizationId;
  const on = ORGANIZATION.onUpdate;
  const beforeKyb = ['EMAIL_VERIFICATION', 'CONSENTS', 'PEOPLE_AND_DOCUMENTS'] as const;

  on(state, organizationResendEmailCodeUpdate, { action: 'send a code', check: () => (requireEmailStep(state, 'send a code to the e-mail address'), throttle(state)) }, () =>
    sendRequestedCode(state),
  );

  on(state, organizationEmailVerifiedUpdate, { action: 'verify', check: () => requireEmailStep(state, 'verify the e-mail address') }, async () => {
    // Only a code the API consumed counts: an update sent straight to Temporal changes nothing.
    if (!(await io.hasConsumedCode({ tenantId, customerId, channel: 'EMAIL' }))) {
      throw invalidState(state, 'No code sent to the e-mail address was confirmed; verify through the API with the code');
    }
    state.emailVerified = true;
    ORGANIZATION.progressed(state);
    await advanceBeforeKyb(state, 'Representative e-mail verified');
    return snapshotOf(state);
  });

  on(state, organizationGiveConsentUpdate, { action: 'record a consent', check: (_consent: ConsentGiven) => requireSteps(state, beforeKyb, 'record a consent') }, async (consent) => {
    const repeat = state.consents.has(consent.type);
    await io.saveConsent({ tenantId, customerId, consent });
    state.consents.add(consent.type);
    if (!repeat) ORGANIZATION.progressed(state); // a repeated consent is no progress: it must not push the deadline back
    await advanceBeforeKyb(state, 'Consent recorded');
    return snapshotOf(state);
  });

  on(state, startKybUpdate, { action: 'start KYB', check: () => checkKybMayStart(state) }, async () => {
    state.kybStarting = true; // runs right after the validator: a concurrent second start meets the flag
    const ready = state.status === 'PEOPLE_AND_DOCUMENTS';
    // The tables say what the people and documents still lack; with nothing due, KYB starts in the same transaction.
    const start = await io.beginKyb({ tenantId, organizationId: customerId, start: ready });
    const due = [...state.due().filter((item) => item !== 'KYB'), ...start.due];
    if (!ready || start.due.length > 0) {
      state.kybStarting = false;
      throw invalidState(state, `KYB cannot start yet: ${due.join(', ')} still due`, due);
    }
    state.persons = start.persons.map((person) => ({ ...person, status: 'PENDING' as const }));
    state.kybStatus = 'IN_PROGRESS';
    indexKybStatus(state);
    ORGANIZATION.progressed(state);
    await ORGANIZATION.moveTo(state, 'VERIFYING', 'KYB started');
    return { organizationId: customerId, kybStatus: state.kybStatus };
  });

  on(state, decideReviewUpdate, { action: 'decide', check: (_decision: ReviewDecision) => requireSteps(state, ['MANUAL_REVIEW'], 'record a review decision') }, async ({ decision, reason, reviewer }) => {
    const note = `${decision === 'APPROVE' ? 'Approved' : 'Rejected'} by ${reviewer}: ${reason}`;
    if (decision === 'APPROVE') {
      state.errors = [];
      await ORGANIZATION.moveTo(state, 'APPROVED', note);
    } else {
      state.errors = [...state.errors, { requirement: 'KYB', reason: 'Rejected in compliance review' }];
      await ORGANIZATION.moveTo(state, 'REJECTED', note);
    }
    ORGANIZATION.progressed(state);
    return snapshotOf(state);
  });

  on(state, organizationActivateUpdate, { action: 'activate', check: () => requireSteps(state, ['APPROVED'], 'activate the organization') }, async () => {
    await ORGANIZATION.moveTo(state, 'ACTIVE', 'Activated');
    return snapshotOf(state);
  });
}

function checkKybMayStart(state: OrganizationState): void {
  if (state.kybStarting || state.kybStatus !== 'NOT_STARTED') throw invalidState(state, 'KYB has already been started');
  requireSteps(state, ['EMAIL_VERIFICATION', 'CONSENTS', 'PEOPLE_AND_DOCUMENTS'], 'start KYB');
}

function requireEmailStep(state: OrganizationState, action: string): void {
  requireSteps(state, ['EMAIL_VERIFICATION', 'CONSENTS', 'PEOPLE_AND_DOCUMENTS'], action);
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
