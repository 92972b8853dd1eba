/**
 * E-mails that tell the customer what happened (reminders, KYC outcomes, welcome, expiry). They go out beside
 * the lifecycle, never in its way: the workflow does not wait for one before moving on, a notice that fails after
 * its bounded retries is logged and dropped, and the workflow waits for the ones in flight only before it ends.
 */
import { ActivityFailure, log, workflowInfo } from '@temporalio/workflow';
import { applied } from '../engine';
import type { CustomerEmailTemplate } from '../../activities/templates/customer-emails';
import { failureKind } from '../activity-policies';
import { io, notices } from './activities';
import type { OnboardingState } from './state';

/** Executions started before this patch awaited each notice with unbounded retries. */
export const DETACHED_NOTICES = 'individual-detached-notices';

/** `step` makes the idempotency key: the same step never e-mails twice. */
export async function notify(state: OnboardingState, template: CustomerEmailTemplate, step: string): Promise<void> {
  const input = { tenantId: state.input.tenantId, customerId: state.input.customerId, template, idempotencyKey: `${workflowInfo().workflowId}/${step}` };
  if (!applied(DETACHED_NOTICES)) {
    await io.sendCustomerEmail(input);
    return;
  }
  state.noticesInFlight.push(
    notices.sendCustomerEmail(input).then(
      () => undefined,
      (error: unknown) => {
        if (!(error instanceof ActivityFailure)) throw error;
        // Only the kind of failure: a mail transport's message may quote the recipient.
        log.warn('Customer notice not sent', { template, failure: failureKind(error) });
      },
    ),
  );
}

/** Before the workflow ends: the notices still in flight, each bounded by its retry policy. */
export async function noticesSettled(state: OnboardingState): Promise<void> {
  await Promise.all(state.noticesInFlight);
}
