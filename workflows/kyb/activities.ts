/** The KYB workflow's activity stubs, with the timeouts and retry policies each kind of work needs. */
import { proxyActivities } from '@temporalio/workflow';
import type { OnboardingActivities } from '../../activities';

/** Database writes: idempotent, so an outage is waited out rather than given up on. */
export const io = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m' },
});

/**
 * Calls to the KYB vendor (registry lookup, check, poll): transient faults retried with back-off for a few
 * minutes, refusals and unreadable answers not at all; either way the workflow then falls back to manual review.
 */
export const vendor = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '1m',
    maximumAttempts: 8,
    nonRetryableErrorTypes: ['KybProviderRejected', 'KybProviderInvalidResponse'],
  },
});
