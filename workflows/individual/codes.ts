/**
 * Verification codes. None of them holds the lifecycle: the first e-mail code goes out beside it, retried until
 * the onboarding's deadline; a code asked for through the API is tried for a few seconds and, when it cannot be
 * sent, refused with `CodeNotSent` (503 at the API) so the tenant knows to ask again. Failures are logged by
 * template and kind only: a mail transport's message may quote the recipient.
 */
import { ActivityFailure, ApplicationFailure, CancellationScope, condition, isCancellation, log, workflowInfo } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import { FailureType } from '../../common/onboarding-contract';
import { firstCodeWithin, requestedCodes } from './activities';
import { failureKind } from '../activity-policies';
import type { OnboardingState } from './state';

type Channel = 'EMAIL' | 'PHONE';
const TEMPLATE = { EMAIL: 'verification-email', PHONE: 'phone-code' } as const;

const sendInput = (state: OnboardingState, channel: Channel) => ({
  tenantId: state.input.tenantId,
  customerId: state.input.customerId,
  idempotencyKey: `${workflowInfo().workflowId}/${TEMPLATE[channel]}/${state.codesSent[channel]}`,
});

/**
 * Sends the first e-mail code without waiting for it. Its retries stop when they can no longer help: the step is
 * over (verified, expired), a newer code was asked for (it supersedes this one), or the run continues as new (the
 * next run sends it again under the same key, see `firstCodeStillDue`). The workflow awaits it, as it awaits the
 * notices, only before it ends.
 */
export function sendFirstEmailCodeBeside(state: OnboardingState): void {
  if (state.codesSent.EMAIL === 0) state.noteCodeSent('EMAIL', Date.now());
  const codeNumber = state.codesSent.EMAIL;
  const input = sendInput(state, 'EMAIL');
  const forMs = Math.max(state.lastProgressAt + msToNumber(state.policy.expireAfter) - Date.now(), 1_000);
  const scope = new CancellationScope();
  const stopRetries = () => state.status !== 'PENDING_EMAIL_VERIFICATION' || state.codesSent.EMAIL !== codeNumber || state.continuing;
  void condition(stopRetries).then(() => scope.cancel());
  state.noticesInFlight.push(
    scope
      .run(() => firstCodeWithin(forMs).sendVerificationEmail(input))
      .then(
        () => {
          state.verificationEmailSent = true;
        },
        (error: unknown) => {
          if (isCancellation(error)) return;
          if (!(error instanceof ActivityFailure)) throw error;
          log.warn('Verification code not sent', { template: TEMPLATE.EMAIL, failure: failureKind(error) });
        },
      ),
  );
}

/** A continued run whose first code had not gone out yet: only that code, no later one, was ever asked for. */
export function firstCodeStillDue(state: OnboardingState): boolean {
  return state.status === 'PENDING_EMAIL_VERIFICATION' && !state.verificationEmailSent && state.codesSent.EMAIL === 1;
}

/** A code asked for through the API. It counts against the cooldown and daily cap whether or not it went out. */
export async function sendRequestedCode(state: OnboardingState, channel: Channel): Promise<{ sent: true }> {
  const input = sendInput(state, channel);
  try {
    await (channel === 'EMAIL' ? requestedCodes.sendVerificationEmail(input) : requestedCodes.sendPhoneCode(input));
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    log.warn('Verification code not sent', { template: TEMPLATE[channel], failure: failureKind(error) });
    const waitMs = state.lastCodeSentAt[channel] + msToNumber(state.policy.resendCooldown) - Date.now();
    throw ApplicationFailure.create({
      type: FailureType.CodeNotSent,
      message: 'The code could not be sent; ask again later',
      nonRetryable: true,
      details: [Math.max(1, Math.ceil(waitMs / 1000))],
    });
  }
  return { sent: true };
}
