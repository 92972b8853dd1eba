/**
 * Before a check: make sure the provider gets what it needs. When the subject's records lack it, the person is
 * e-mailed an invitation code and the child waits for the details route, reminding them (with a fresh code)
 * every `reminderAfter` until `expireAfter` has passed since the first invitation.
 */
import { ActivityFailure, condition, workflowInfo } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import { invitations, io } from './activities';
import type { IdentityState } from './state';

export type DetailsOutcome = { ready: true } | { ready: false; expired: true } | { ready: false; expired: false; problem: string };

export async function ensureDetails(state: IdentityState): Promise<DetailsOutcome> {
  const { tenantId, customerId, subject, policy } = state.input;
  const deadline = Date.now() + msToNumber(policy.expireAfter);
  const reminderMs = msToNumber(policy.reminderAfter);
  for (;;) {
    const missing = await lookUpMissing(state);
    if (typeof missing === 'string') return { ready: false, expired: false, problem: missing };
    if (missing.length === 0) return { ready: true };
    state.missing = missing;
    if (Date.now() >= deadline) return { ready: false, expired: true };
    try {
      await invitations.sendIdentityInvitation({
        tenantId,
        customerId,
        subject,
        idempotencyKey: `${workflowInfo().workflowId}/identity-invitation/${state.invitationsSent + 1}`,
        validUntil: new Date(deadline).toISOString(),
        reminder: state.invitationsSent > 0,
      });
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      // Without an invitation nobody can supply the details: staff decide instead of the clock.
      if (state.invitationsSent === 0) return { ready: false, expired: false, problem: `The person could not be invited to supply the details (${error.cause?.message ?? 'no answer'})` };
    }
    state.invitationsSent += 1;
    if (state.status !== 'AWAITING_DETAILS') state.moveTo('AWAITING_DETAILS');
    const supplied = await condition(() => state.detailsSupplied, Math.max(1, Math.min(reminderMs, deadline - Date.now())));
    state.detailsSupplied = false;
    if (!supplied && Date.now() >= deadline) return { ready: false, expired: true };
  }
}

/** The check's needs still open, or why they cannot be read (the subject is unknown). */
async function lookUpMissing(state: IdentityState): Promise<string[] | string> {
  const { tenantId, customerId, subject } = state.input;
  try {
    return (await io.missingIdentityDetails({ tenantId, customerId, subject })).missing;
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    return `The subject's records could not be read (${error.cause?.message ?? 'no answer'})`;
  }
}
