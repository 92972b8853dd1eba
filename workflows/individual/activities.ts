/** Activity stubs with the timeouts and retry policies each kind of work needs. */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { OnboardingActivities } from '../../activities';

/** The registration insert sits on the API's synchronous path: a local activity, retried briefly. */
export const store = proxyLocalActivities<OnboardingActivities>({
  startToCloseTimeout: '5s',
  retry: { initialInterval: '100ms', backoffCoefficient: 2, maximumAttempts: 5 },
});

/** Database writes and messages: retried until they succeed (the services come back). */
export const io = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m' },
});

/** Calls to the KYC provider: transient faults retried with back-off for a few minutes, refusals not at all. */
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
