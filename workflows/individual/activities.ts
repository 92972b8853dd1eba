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

/**
 * The first e-mail code, sent beside the lifecycle: retried with the same back-off as `io`, but only for `forMs` (until
 * the onboarding's deadline as it stands when the code is sent). That code is the customer's only way forward, so an SMTP outage of
 * hours must not lose it; past the deadline the onboarding has expired and the code would be useless.
 */
export function firstCodeWithin(forMs: number) {
  return proxyActivities<OnboardingActivities>({
    startToCloseTimeout: '30s',
    scheduleToCloseTimeout: forMs,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m' },
  });
}

/**
 * Codes asked for through the API (a resent e-mail code, the phone code): about eight seconds in all, so a code
 * that cannot be sent fails its update, and the request answers 503 with its own message, before the API's
 * Temporal call deadline (TEMPORAL_CALL_TIMEOUT_MS, 10 s by default) gives up on it. Someone is waiting on the
 * answer; asking again later is their retry.
 */
export const requestedCodes = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '5s',
  scheduleToCloseTimeout: '8s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '2s', maximumAttempts: 4 },
});
