/**
 * Waiting for the KYB vendor's decision: its callback, or a decision found by polling, first after
 * `firstPollAfter`, then at doubling intervals up to 15 minutes, and once more when `resultTimeout` runs out. A
 * poll that fails (vendor down after its retries, check unknown) is not fatal: the wait goes on, and the last
 * failure becomes part of the manual-review reason. The same schedule as an individual's KYC.
 */
import { ActivityFailure, condition } from '@temporalio/workflow';
import type { KybResult } from '../../common/kyb-contract';
import { vendor } from './activities';

const MAX_POLL_INTERVAL_MS = 15 * 60_000;

export interface AwaitedResult {
  result?: KybResult;
  pollProblem?: string;
}

export async function awaitKybResult(
  check: { verificationId: string; checkId: string },
  callbacks: Map<string, KybResult>,
  timing: { resultTimeoutMs: number; firstPollAfterMs: number },
): Promise<AwaitedResult> {
  const answered = () => callbacks.has(check.verificationId);
  const deadline = Date.now() + timing.resultTimeoutMs;
  let interval = timing.firstPollAfterMs;
  let pollProblem: string | undefined;
  while (!answered() && Date.now() < deadline) {
    if (await condition(answered, Math.min(interval, deadline - Date.now()))) break;
    interval = Math.min(interval * 2, MAX_POLL_INTERVAL_MS);
    try {
      const polled = await vendor.fetchKybResult({ checkId: check.checkId });
      pollProblem = undefined;
      if (polled.status !== 'PENDING') return { result: { ...check, decision: polled.status, reason: polled.reason } };
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      pollProblem = error.cause?.message ?? 'no answer';
    }
  }
  return { result: callbacks.get(check.verificationId), pollProblem };
}
