/**
 * Waiting for a KYC provider's decision, shared by every workflow that runs a check (the individual's onboarding
 * and the identity-verification child). The callback arrives as a signal into `results`; meanwhile the provider is
 * polled on a back-off schedule, so a lost callback costs minutes, not the whole timeout.
 *
 * The individual's recorded histories replay through this code: its commands (timers from `condition`, the poll
 * activity) and their order must not change without a `patched()` in that workflow.
 */
import { ActivityFailure, condition } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import type { KycResult } from '../../common/onboarding-contract';
import { DEFAULT_POLICY, type OnboardingPolicy } from '../../common/onboarding-policy';

/** Polls back off by doubling from the policy's first delay up to this interval. */
const MAX_POLL_INTERVAL_MS = 15 * 60_000;

export interface SubmittedCheck {
  verificationId: string;
  checkId: string;
}

export type PollKycResult = (input: { checkId: string }) => Promise<{ status: KycResult['decision'] | 'PENDING'; reason?: string }>;

/**
 * The callback, or a decision found by polling: first after `kycFirstPollAfter`, then at doubling intervals,
 * and once more when `kycResultTimeout` runs out. A poll that fails (provider down after its retries, check
 * unknown) is not fatal: the wait goes on, and the last failure is returned to become part of the manual-review
 * reason. No result: the provider did not decide in time.
 */
export async function awaitKycResult(
  check: SubmittedCheck,
  results: Map<string, KycResult>,
  policy: Pick<OnboardingPolicy, 'kycResultTimeout' | 'kycFirstPollAfter'>,
  poll: PollKycResult,
): Promise<{ result?: KycResult; pollProblem?: string }> {
  const deadline = Date.now() + msToNumber(policy.kycResultTimeout);
  let interval = msToNumber(policy.kycFirstPollAfter ?? DEFAULT_POLICY.kycFirstPollAfter!);
  let pollProblem: string | undefined;
  while (!results.has(check.verificationId) && Date.now() < deadline) {
    if (await condition(() => results.has(check.verificationId), Math.min(interval, deadline - Date.now()))) break;
    interval = Math.min(interval * 2, MAX_POLL_INTERVAL_MS);
    try {
      const polled = await poll({ checkId: check.checkId });
      pollProblem = undefined;
      if (polled.status !== 'PENDING') return { result: asKycResult(check, polled.status, polled.reason) };
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      pollProblem = error.cause?.message ?? 'no answer';
    }
  }
  return { result: results.get(check.verificationId), pollProblem };
}

export function asKycResult(check: SubmittedCheck, decision: KycResult['decision'], reason?: string): KycResult {
  return { verificationId: check.verificationId, checkId: check.checkId, decision, reason };
}

/** Why a check that got no decision goes to manual review. */
export function noResultReason(pollProblem?: string): string {
  const reason = 'No result from the KYC provider in time';
  return pollProblem ? `${reason}; the last poll failed: ${pollProblem}` : reason;
}
