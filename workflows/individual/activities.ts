/** Activity stubs with the timeouts and retry policies each kind of work needs. */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { OnboardingActivities } from '../../activities';

/** The registration insert sits on the API's synchronous path: a local activity, retried briefly. */
export const store = proxyLocalActivities<OnboardingActivities>({
  startToCloseTimeout: '5s',
  retry: { initialInterval: '100ms', backoffCoefficient: 2, maximumAttempts: 5 },
});

/**
 * Database writes (statuses, verifications, profile, consents) and verification codes: retried until they
 * succeed. Giving up on a status write would leave the customer row and the workflow disagreeing, and every one
 * of these writes is idempotent, so the right answer to an outage is to wait for the database to come back.
 */
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

/**
 * Side notifications (reminders, KYC outcomes, welcome, expiry): bounded, about ten minutes in all. The customer
 * is not waiting for them and the lifecycle must not wait either: an address that can never be reached would
 * otherwise hold the onboarding past its deadline. A notice that fails here is logged and dropped.
 */
export const notices = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '2m', maximumAttempts: 8 },
});
