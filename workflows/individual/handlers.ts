/**
 * The customer's, tenant's and staff's actions on a running onboarding. Each update's validator refuses an
 * action that does not fit the current step before anything is written (409 INVALID_STATE at the API); its
 * handler does the work through activities and moves the onboarding on.
 */
import { ApplicationFailure, setHandler, workflowInfo } from '@temporalio/workflow';
import { applied } from '../engine';
import {
  activateUpdate,
  completeProfileUpdate,
  decideKycUpdate,
  emailVerifiedUpdate,
  FailureType,
  giveConsentUpdate,
  kycResultSignal,
  phoneVerifiedUpdate,
  resendEmailCodeUpdate,
  sendPhoneCodeUpdate,
  startKycUpdate,
  type KycDecision,
  type OnboardingStatus,
} from '../../common/onboarding-contract';
import type { StepGuard } from '../engine';
import { identityInReviewSignal } from '../../common/identity-contract';
import { msToNumber } from '@temporalio/common/lib/time';
import { io } from './activities';
import { sendRequestedCode } from './codes';
import { decide, openVerification } from './kyc';
import type { IndividualFlow, OnboardingState } from './state';
import { advance } from './transitions';

/** Executions started before it accepted "verified" without asking for the consumed code. */
const CONTACT_PROOF = 'contact-verification-proof';
/** Executions started before it counted a repeated profile or consent as progress (it kept the deadline away). */
const REPEATS_ARE_NOT_PROGRESS = 'repeats-are-not-progress';
/** Executions started before it retried a requested code forever, holding its update until the API gave up. */
const BOUNDED_CODE_REQUESTS = 'bounded-code-requests';
/** Codes per channel in any rolling 24 hours, the first e-mail code included. */
export const MAX_CODES_PER_DAY = 5;
const DAY_MS = 24 * 60 * 60 * 1000;

const BEFORE_KYC: OnboardingStatus[] = ['PENDING_EMAIL_VERIFICATION', 'PENDING_PHONE_VERIFICATION', 'PENDING_PROFILE', 'PENDING_CONSENTS', 'PENDING_KYC'];

export function registerActionHandlers(flow: IndividualFlow, state: OnboardingState): void {
  const { tenantId, customerId } = state.input;
  const key = (step: string) => `${workflowInfo().workflowId}/${step}`;
  /**
   * The cooldown and the daily cap, from workflow time. A refusal here is a rejected update: it writes nothing to
   * the history, so asking for codes in a loop neither sends mail nor grows the history.
   */
  function throttle(channel: 'EMAIL' | 'PHONE') {
    const tooSoon = (wait: number, message: string) =>
      ApplicationFailure.create({ type: FailureType.ResendTooSoon, message, nonRetryable: true, details: [Math.ceil(wait / 1000)] });
    const wait = state.lastCodeSentAt[channel] + msToNumber(state.policy.resendCooldown) - Date.now();
    if (wait > 0) throw tooSoon(wait, 'A code was sent moments ago; wait before asking for another');
    const today = state.recentCodeSends[channel].filter((at) => at > Date.now() - DAY_MS);
    if (today.length >= MAX_CODES_PER_DAY) {
      throw tooSoon(today[0] + DAY_MS - Date.now(), `At most ${MAX_CODES_PER_DAY} codes a day; try again later`);
    }
  }

  async function sendCode(channel: 'EMAIL' | 'PHONE') {
    state.noteCodeSent(channel, Date.now());
    if (applied(BOUNDED_CODE_REQUESTS)) return sendRequestedCode(state, channel);
    const step = `${channel === 'EMAIL' ? 'verification-email' : 'phone-code'}/${state.codesSent[channel]}`;
    const input = { tenantId, customerId, idempotencyKey: key(step) };
    await (channel === 'EMAIL' ? io.sendVerificationEmail(input) : io.sendPhoneCode(input));
    return { sent: true as const };
  }

  const contacts = [
    { channel: 'EMAIL', status: 'PENDING_EMAIL_VERIFICATION', what: 'the e-mail address', send: resendEmailCodeUpdate, verified: emailVerifiedUpdate },
    { channel: 'PHONE', status: 'PENDING_PHONE_VERIFICATION', what: 'the phone number', send: sendPhoneCodeUpdate, verified: phoneVerifiedUpdate },
  ] as const;
  for (const contact of contacts) {
    flow.onUpdate(state, contact.send, { when: [contact.status], action: `send a code to ${contact.what}`, check: () => throttle(contact.channel) }, () =>
      sendCode(contact.channel),
    );
    flow.onUpdate(state, contact.verified, { when: [contact.status], action: `verify ${contact.what}` }, async () => {
      if (applied(CONTACT_PROOF) && !(await io.hasConsumedCode({ tenantId, customerId, channel: contact.channel }))) {
        throw flow.invalidState(state, `No code sent to ${contact.what} was confirmed; verify through the API with the code`);
      }
      if (contact.channel === 'EMAIL') state.emailVerified = true;
      else state.phoneVerified = true;
      await advance(flow, state, `Verified ${contact.what}`);
      return state.snapshot();
    });
  }

  flow.onUpdate(state, completeProfileUpdate, { when: ['PENDING_PROFILE', 'PENDING_CONSENTS', 'PENDING_KYC'], action: 'change the profile' }, async (profile) => {
    const repeat = state.profileComplete && applied(REPEATS_ARE_NOT_PROGRESS);
    await io.saveProfile({ tenantId, customerId, profile });
    state.profileComplete = true;
    if (!repeat) await advance(flow, state, 'Profile completed');
    return state.snapshot();
  });

  flow.onUpdate(state, giveConsentUpdate, { when: BEFORE_KYC, action: 'record a consent' }, async (consent) => {
    const repeat = state.consents.has(consent.type) && applied(REPEATS_ARE_NOT_PROGRESS);
    await io.saveConsent({ tenantId, customerId, consent });
    state.consents.add(consent.type);
    if (!repeat) await advance(flow, state, `Consent given: ${consent.type}`);
    return state.snapshot();
  });

  const kycStart = {
    action: 'start KYC',
    check: () => {
      if (state.kycStarting) throw flow.invalidState(state, 'KYC has already been started');
      if (state.status !== 'PENDING_KYC') throw flow.invalidState(state, `KYC cannot start while the onboarding is ${state.status}`);
    },
  };
  flow.onUpdate(state, startKycUpdate, kycStart, async () => {
    // Single flight: the SDK runs this synchronous start right after the validator, so a concurrent second
    // start meets the flag in its validator instead of opening a second verification while this one awaits.
    state.kycStarting = true;
    const verificationId = await openVerification(flow, state);
    return { verificationId, status: state.status };
  });

  setHandler(kycResultSignal, (result) => {
    // Callbacks may repeat or arrive late: only the first answer for the open verification counts.
    const kyc = state.kyc;
    const sameCheck = kyc?.checkId === undefined || kyc.checkId === result.checkId;
    if (kyc?.verificationId === result.verificationId && sameCheck && !state.kycResults.has(result.verificationId)) {
      state.kycResults.set(result.verificationId, result);
    }
  });

  setHandler(identityInReviewSignal, ({ verificationId, reason }) => {
    if (state.kyc?.inChild && state.kyc.verificationId === verificationId && state.kycReviewReason === undefined) state.kycReviewReason = reason;
  });

  const decideHere: StepGuard<OnboardingStatus, [KycDecision]> = {
    when: ['MANUAL_REVIEW'],
    action: 'record a KYC decision',
    check: () => {
      // The API sends decisions to the check's child (by the verification's workflow id); never decide twice.
      if (state.kyc?.inChild) throw flow.invalidState(state, 'The KYC check is decided on its identity verification');
    },
  };
  flow.onUpdate(state, decideKycUpdate, decideHere, async ({ decision, reason, reviewer }) => {
    await decide(flow, state, decision === 'APPROVE' ? 'APPROVED' : 'REJECTED', reason, reviewer);
    return state.snapshot();
  });

  flow.onUpdate(state, activateUpdate, { when: ['KYC_APPROVED'], action: 'activate the customer' }, async () => {
    await flow.moveTo(state, 'ACTIVE', 'Activated');
    return state.snapshot();
  });
}
