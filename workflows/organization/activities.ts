/** Activity stubs for the organization's onboarding, with the timeouts and retries each kind of work needs. */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { OnboardingActivities } from '../../activities';

/** The registration insert sits on the API's synchronous path: a local activity, retried briefly. */
export const store = proxyLocalActivities<OnboardingActivities>({
  startToCloseTimeout: '5s',
  retry: { initialInterval: '100ms', backoffCoefficient: 2, maximumAttempts: 5 },
});

/** Idempotent database writes: retried until the database answers, so the row and the workflow never disagree. */
export const io = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m' },
});

/** Reminders, welcome and expiry notices: about ten minutes in all, then logged and dropped. */
export const notices = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '2m', maximumAttempts: 8 },
});

/** The first code, sent beside the lifecycle and retried until the onboarding's deadline (`forMs`). */
export function firstCodeWithin(forMs: number) {
  return proxyActivities<OnboardingActivities>({
    startToCloseTimeout: '30s',
    scheduleToCloseTimeout: forMs,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m' },
  });
}

/** A code asked for through the API: about eight seconds, inside the API's Temporal call deadline. */
export const requestedCodes = proxyActivities<OnboardingActivities>({
  startToCloseTimeout: '5s',
  scheduleToCloseTimeout: '8s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '2s', maximumAttempts: 4 },
});
