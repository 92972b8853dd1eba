/**
 * KYC with the external provider: submit (transient faults retried), wait for its callback, poll once if it stays
 * silent, and fall back to manual review whenever the provider cannot decide.
 */
import { ActivityFailure, condition, uuid4, workflowInfo } from '@temporalio/workflow';
import type { KycDecision, KycResult } from '../../common/onboarding-contract';
import { io, kycProvider } from './activities';
import type { OnboardingState } from './state';
import { moveTo } from './transitions';

/** Opens a verification and moves to KYC_IN_PROGRESS; the main loop then runs `runKycCheck`. */
export async function openVerification(state: OnboardingState): Promise<string> {
  const verificationId = `ver_${uuid4().replace(/-/g, '')}`;
  const { tenantId, customerId } = state.input;
  await io.openKycVerification({ tenantId, customerId, verificationId });
  state.kyc = { verificationId, status: 'IN_PROGRESS' };
  state.progress += 1;
  await moveTo(state, 'KYC_IN_PROGRESS', 'KYC check started');
  return verificationId;
}

export async function runKycCheck(state: OnboardingState, results: Map<string, KycResult>): Promise<void> {
  const kyc = state.kyc!;
  const { tenantId, customerId } = state.input;
  try {
    kyc.checkId = (await kycProvider.submitKycCheck({ tenantId, customerId, verificationId: kyc.verificationId })).checkId;
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    return toManualReview(state, 'The KYC provider could not take the check');
  }
  const answered = await condition(() => results.has(kyc.verificationId), state.policy.kycResultTimeout);
  let result = results.get(kyc.verificationId);
  if (!answered) {
    const polled = await kycProvider.fetchKycResult({ checkId: kyc.checkId });
    if (polled.status !== 'PENDING') result = { verificationId: kyc.verificationId, checkId: kyc.checkId, decision: polled.status, reason: polled.reason };
  }
  if (!result) return toManualReview(state, 'No result from the KYC provider in time');
  if (result.decision === 'REVIEW') return toManualReview(state, result.reason ?? 'The KYC provider asked for a manual review');
  return decide(state, result.decision, result.reason);
}

async function toManualReview(state: OnboardingState, reason: string): Promise<void> {
  const { tenantId } = state.input;
  state.kyc!.status = 'MANUAL_REVIEW';
  await io.recordKycOutcome({ tenantId, verificationId: state.kyc!.verificationId, status: 'MANUAL_REVIEW', reason });
  await moveTo(state, 'MANUAL_REVIEW', reason);
  await notify(state, 'kyc-review');
}

/** Applies the provider's or a reviewer's decision. */
export async function decide(state: OnboardingState, decision: 'APPROVED' | 'REJECTED', reason?: string, reviewer?: KycDecision['reviewer']) {
  const { tenantId } = state.input;
  state.kyc!.status = decision;
  await io.recordKycOutcome({ tenantId, verificationId: state.kyc!.verificationId, status: decision, reason, reviewer });
  await moveTo(state, decision === 'APPROVED' ? 'KYC_APPROVED' : 'REJECTED', reason ?? `KYC ${decision.toLowerCase()}`);
  state.lastProgressAt = Date.now();
  await notify(state, decision === 'APPROVED' ? 'kyc-approved' : 'kyc-rejected');
}

async function notify(state: OnboardingState, template: 'kyc-review' | 'kyc-approved' | 'kyc-rejected') {
  const { tenantId, customerId } = state.input;
  await io.sendCustomerEmail({
    tenantId,
    customerId,
    template,
    idempotencyKey: `${workflowInfo().workflowId}/${template}/${state.kyc!.verificationId}`,
  });
}
