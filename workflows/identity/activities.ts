/**
 * Activity stubs of the identity-verification child. The policies match the individual's (workflows/individual/
 * activities.ts): database writes retried until the database is back, provider calls retried for a few minutes
 * but never on a refusal, invitations bounded so an unreachable address cannot hold the check. An unknown
 * subject or one without an address fails at once (non-retryable ApplicationFailures from the activities).
 */
import { proxyActivities } from '@temporalio/workflow';
import type { OnboardingActivities } from '../../activities';

export const io = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m' },
});

export const kycProvider = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '1m',
    maximumAttempts: 8,
    nonRetryableErrorTypes: ['KycProviderRejected', 'KycProviderInvalidResponse'],
  },
});

export const invitations = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '2m', maximumAttempts: 8 },
});
