/**
 * The KYC check of one subject: open the verification (with this workflow's id, so callbacks and staff find
 * it), submit, wait for the provider (callback or back-off polls, shared with the individual's onboarding),
 * and hand anything the provider cannot decide — review, silence, refusal — to staff.
 */
import { ActivityFailure, condition, uuid4, workflowInfo } from '@temporalio/workflow';
import { awaitKycResult, noResultReason } from '../kyc/await-result';
import { io, kycProvider } from './activities';
import type { IdentityState } from './state';

export async function openCheck(state: IdentityState): Promise<void> {
  const { tenantId, customerId, subject } = state.input;
  const verificationId = `ver_${uuid4().replace(/-/g, '')}`;
  await io.openKycVerification({ tenantId, customerId, verificationId, subject, workflowId: workflowInfo().workflowId });
  state.verificationId = verificationId;
  state.moveTo('IN_PROGRESS');
}

/** Runs the provider's check; ends APPROVED or REJECTED, or in MANUAL_REVIEW for `awaitStaffDecision`. */
export async function runCheck(state: IdentityState): Promise<void> {
  const { tenantId, customerId, subject, policy } = state.input;
  const verificationId = state.verificationId!;
  try {
    state.checkId = (await kycProvider.submitKycCheck({ tenantId, customerId, verificationId, subject })).checkId;
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    return toManualReview(state, 'The KYC provider could not take the check');
  }
  const { result, pollProblem } = await awaitKycResult({ verificationId, checkId: state.checkId }, state.results, policy, kycProvider.fetchKycResult);
  if (!result) return toManualReview(state, noResultReason(pollProblem));
  if (result.decision === 'REVIEW') return toManualReview(state, result.reason ?? 'The KYC provider asked for a manual review');
  return record(state, result.decision, result.reason);
}

export async function toManualReview(state: IdentityState, reason: string): Promise<void> {
  const { tenantId } = state.input;
  await io.recordKycOutcome({ tenantId, verificationId: state.verificationId!, status: 'MANUAL_REVIEW', reason });
  state.moveTo('MANUAL_REVIEW', reason);
}

/** Staff have no deadline: a case in review waits for a person to decide it. */
export async function awaitStaffDecision(state: IdentityState): Promise<void> {
  await condition(() => state.staffDecision !== undefined);
  const { decision, reason, reviewer } = state.staffDecision!;
  await record(state, decision === 'APPROVE' ? 'APPROVED' : 'REJECTED', reason, reviewer);
}

async function record(state: IdentityState, status: 'APPROVED' | 'REJECTED', reason?: string, reviewer?: string): Promise<void> {
  const { tenantId } = state.input;
  await io.recordKycOutcome({ tenantId, verificationId: state.verificationId!, status, reason, reviewer });
  state.reviewer = reviewer;
  state.moveTo(status, reason ?? `KYC ${status.toLowerCase()}`);
}
