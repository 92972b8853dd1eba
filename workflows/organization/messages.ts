/**
 * What the representative receives: e-mail verification codes (the same activity and template as individuals)
 * and notices (reminders, welcome, expiry). None holds the lifecycle: they go out beside it with bounded retries,
 * and a failure is logged by template and kind only (a mail transport's message may quote the recipient).
 */
import { ActivityFailure, ApplicationFailure, CancellationScope, condition, isCancellation, log, workflowInfo } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import { FailureType } from '../../common/onboarding-contract';
import type { CustomerEmailTemplate } from '../../activities/templates/customer-emails';
import { failureKind } from '../activity-policies';
import { firstCodeWithin, notices, requestedCodes } from './activities';
import type { OrganizationState } from './state';

const codeInput = (state: OrganizationState) => ({
  tenantId: state.input.tenantId,
  customerId: state.organizationId,
  idempotencyKey: `${workflowInfo().workflowId}/verification-email/${state.codesSent}`,
});

/** The first code, retried until the deadline unless the e-mail is verified or a newer code supersedes it. */
export function sendFirstCodeBeside(state: OrganizationState): void {
  state.noteCodeSent(Date.now());
  const codeNumber = state.codesSent;
  const input = codeInput(state);
  const forMs = Math.max(state.lastProgressAt + msToNumber(state.policy.expireAfter) - Date.now(), 1_000);
  const scope = new CancellationScope();
  void condition(() => state.emailVerified || state.ended || state.codesSent !== codeNumber).then(() => scope.cancel());
  state.noticesInFlight.push(
    scope.run(() => firstCodeWithin(forMs).sendVerificationEmail(input)).then(
      () => {
        state.verificationEmailSent = true;
      },
      (error: unknown) => {
        if (isCancellation(error)) return;
        if (!(error instanceof ActivityFailure)) throw error;
        log.warn('Verification code not sent', { template: 'verification-email', failure: failureKind(error) });
      },
    ),
  );
}

/** A code asked for through the API; one that cannot be sent answers 503 so the tenant asks again later. */
export async function sendRequestedCode(state: OrganizationState): Promise<{ sent: true }> {
  state.noteCodeSent(Date.now());
  try {
    await requestedCodes.sendVerificationEmail(codeInput(state));
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    log.warn('Verification code not sent', { template: 'verification-email', failure: failureKind(error) });
    const waitMs = state.lastCodeSentAt + msToNumber(state.policy.resendCooldown) - Date.now();
    throw ApplicationFailure.create({
      type: FailureType.CodeNotSent,
      message: 'The code could not be sent; ask again later',
      nonRetryable: true,
      details: [Math.max(1, Math.ceil(waitMs / 1000))],
    });
  }
  return { sent: true };
}

/** `step` makes the idempotency key: the same step never e-mails twice. */
export function notify(state: OrganizationState, template: CustomerEmailTemplate, step: string): void {
  const input = { tenantId: state.input.tenantId, customerId: state.organizationId, template, idempotencyKey: `${workflowInfo().workflowId}/${step}` };
  state.noticesInFlight.push(
    notices.sendCustomerEmail(input).then(
      () => undefined,
      (error: unknown) => {
        if (!(error instanceof ActivityFailure)) throw error;
        log.warn('Customer notice not sent', { template, failure: failureKind(error) });
      },
    ),
  );
}
