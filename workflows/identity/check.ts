/**
 * The KYC check of one subject: open the verification (with this workflow's id, so callbacks and staff find
 * it), submit, wait for the provider (callback or back-off polls, shared with the individual's onboarding),
 * and hand anything the provider cannot decide — review, silence, refusal — to staff.
 */
import { ActivityFailure, condition, getExternalWorkflowHandle, log, uuid4, workflowInfo } from '@temporalio/workflow';
import { identityInReviewSignal } from '../../common/identity-contract';
import { awaitKycResult, noResultReason } from '../kyc/await-result';
import { io, kycProvider } from './activities';
import type { IdentityState } from './state';

export async function openCheck(state: IdentityState): Promise<void> {
  const { tenantId, customerId, subject } = state.input;
  const verificationId = state.input.verificationId ?? `ver_${uuid4().replace(/-/g, '')}`;
  // A prepared check's row was opened by its parent, naming this workflow, before the parent answered the tenant.
  if (!state.input.prepared) await io.openKycVerification({ tenantId, customerId, verificationId, subject, workflowId: workflowInfo().workflowId });
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
  if (state.input.reportReviewToParent) await tellParentInReview(state.verificationId!, reason);
}

/**
 * A signal, not a query the parent would poll: workflow code cannot query another workflow (only an activity
 * could, on a timer), while a signal is one command here and one event there, delivered once, replayed for free.
 */
async function tellParentInReview(verificationId: string, reason: string): Promise<void> {
  const parent = workflowInfo().parent;
  if (!parent) return;
  try {
    await getExternalWorkflowHandle(parent.workflowId).signal(identityInReviewSignal, { verificationId, reason });
  } catch (error) {
    // The parent has closed: its close policy ends this child too; staff can still decide the row meanwhile.
    log.warn('Parent not told of the manual review', { error: error instanceof Error ? error.name : 'unknown' });
  }
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
