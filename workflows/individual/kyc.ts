/**
 * KYC with the external provider: submit (transient faults retried), wait for its callback while polling on a
 * back-off schedule (a lost callback costs minutes, not the whole timeout), and fall back to manual review
 * whenever the provider cannot decide in time, with the reason recorded.
 */
import { ActivityFailure, condition, uuid4 } from '@temporalio/workflow';
import { applied } from '../engine';
import type { KycDecision, KycResult } from '../../common/onboarding-contract';
import { asKycResult, awaitKycResult, noResultReason } from '../kyc/await-result';
import { io, kycProvider } from './activities';
import { conclude, showManualReview } from './kyc-outcomes';
import { KYC_CHILD, kycChildRoute, runKycInChild } from './kyc-child';
import type { IndividualFlow, OnboardingState } from './state';

/**
 * Opens a verification and moves to KYC_IN_PROGRESS; the main loop then runs `runKycCheck`. Behind KYC_CHILD the
 * row names the identity-verification child that will run it (callbacks and staff are routed there by it); it is
 * still opened here, so the tenant's 202 finds it stored as before, and the child's own open of it is a no-op.
 */
export async function openVerification(flow: IndividualFlow, state: OnboardingState): Promise<string> {
  const inChild = applied(KYC_CHILD);
  const verificationId = `ver_${uuid4().replace(/-/g, '')}`;
  const { tenantId, customerId } = state.input;
  await io.openKycVerification({ tenantId, customerId, verificationId, ...(inChild ? kycChildRoute(tenantId, customerId) : {}) });
  state.kyc = { verificationId, status: 'IN_PROGRESS', ...(inChild ? { inChild } : {}) };
  state.progress += 1;
  await flow.moveTo(state, 'KYC_IN_PROGRESS', 'KYC check started');
  return verificationId;
}

export async function runKycCheck(state: OnboardingState, flow: IndividualFlow): Promise<void> {
  if (state.kyc?.inChild) return runKycInChild(state, flow);
  const kyc = state.kyc!;
  const results = state.kycResults;
  const { tenantId, customerId } = state.input;
  try {
    kyc.checkId = (await kycProvider.submitKycCheck({ tenantId, customerId, verificationId: kyc.verificationId })).checkId;
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    return toManualReview(flow, state, 'The KYC provider could not take the check');
  }
  const { result, pollProblem } = applied(KYC_POLLING) ? await awaitResult(state, results) : await awaitResultLegacy(state, results);
  if (!result) return toManualReview(flow, state, noResultReason(pollProblem));
  if (result.decision === 'REVIEW') return toManualReview(flow, state, result.reason ?? 'The KYC provider asked for a manual review');
  return decide(flow, state, result.decision, result.reason);
}

/** Executions started before this patch polled once at the timeout, and failed when that poll failed. */
const KYC_POLLING = 'individual-kyc-poll-backoff';

function awaitResult(state: OnboardingState, results: Map<string, KycResult>) {
  const kyc = state.kyc!;
  return awaitKycResult({ verificationId: kyc.verificationId, checkId: kyc.checkId! }, results, state.policy, kycProvider.fetchKycResult);
}

async function awaitResultLegacy(state: OnboardingState, results: Map<string, KycResult>) {
  const kyc = state.kyc!;
  const answered = await condition(() => results.has(kyc.verificationId), state.policy.kycResultTimeout);
  if (answered) return { result: results.get(kyc.verificationId), pollProblem: undefined };
  const polled = await kycProvider.fetchKycResult({ checkId: kyc.checkId! });
  return { result: polled.status === 'PENDING' ? undefined : asKycResult({ verificationId: kyc.verificationId, checkId: kyc.checkId! }, polled.status, polled.reason), pollProblem: undefined };
}

async function toManualReview(flow: IndividualFlow, state: OnboardingState, reason: string): Promise<void> {
  const { tenantId } = state.input;
  state.kyc!.status = 'MANUAL_REVIEW';
  await io.recordKycOutcome({ tenantId, verificationId: state.kyc!.verificationId, status: 'MANUAL_REVIEW', reason });
  await showManualReview(flow, state, reason);
}

/** Applies the provider's or a reviewer's decision. */
export async function decide(flow: IndividualFlow, state: OnboardingState, decision: 'APPROVED' | 'REJECTED', reason?: string, reviewer?: KycDecision['reviewer']) {
  const { tenantId } = state.input;
  state.kyc!.status = decision;
  await io.recordKycOutcome({ tenantId, verificationId: state.kyc!.verificationId, status: decision, reason, reviewer });
  await conclude(flow, state, decision, reason);
}
