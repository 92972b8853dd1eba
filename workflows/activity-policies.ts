/**
 * The retry and timeout policies every workflow's activity stubs are built from, one per kind of work, so the
 * individual, organization, KYB and identity flows cannot drift apart on what "a database write" or "a provider
 * call" is allowed to cost. Each workflow proxies its activities with these (see its `activities.ts`).
 */
import { ApplicationFailure, type ActivityFailure, type ActivityOptions, type LocalActivityOptions } from '@temporalio/workflow';

/** The registration insert sits on the API's synchronous path: a local activity, retried briefly. */
export const REGISTRATION_INSERT: LocalActivityOptions = {
  startToCloseTimeout: '5s',
  retry: { initialInterval: '100ms', backoffCoefficient: 2, maximumAttempts: 5 },
};

/**
 * Idempotent database writes (statuses, verifications, profile, consents) and codes: retried until they succeed.
 * Giving up would leave the row and the workflow disagreeing; the right answer to an outage is to wait it out.
 */
export const DATABASE_WRITES: ActivityOptions = {
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m' },
};

/** Calls to an external provider: transient faults retried with back-off for a few minutes, refusals not at all. */
export function providerCalls(nonRetryableErrorTypes: string[]): ActivityOptions {
  return {
    startToCloseTimeout: '30s',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 8, nonRetryableErrorTypes },
  };
}

/**
 * Side notifications (reminders, outcomes, welcome, expiry, invitations): about ten minutes in all, then logged
 * and dropped. Nobody waits for them, and an address that can never be reached must not hold the lifecycle.
 */
export const SIDE_NOTICES: ActivityOptions = {
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '2m', maximumAttempts: 8 },
};

/**
 * The first e-mail code, sent beside the lifecycle: retried like a database write, but only for `forMs` (until the
 * onboarding's deadline as it stands when the code is sent): past it the code would be useless.
 */
export function firstCodeWithin(forMs: number): ActivityOptions {
  return { ...DATABASE_WRITES, scheduleToCloseTimeout: forMs };
}

/**
 * Codes asked for through the API: about eight seconds in all, so a code that cannot be sent fails its update
 * (the request answers 503) before the API's Temporal call deadline (TEMPORAL_CALL_TIMEOUT_MS, 10 s) gives up.
 */
export const REQUESTED_CODES: ActivityOptions = {
  startToCloseTimeout: '5s',
  scheduleToCloseTimeout: '8s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '2s', maximumAttempts: 4 },
};

/**
 * What went wrong with an activity, by kind only (the failure type it threw, e.g. MailDeliveryError, or a
 * timeout): a transport's message may quote a recipient, so logs get this instead.
 */
export function failureKind(error: ActivityFailure): string | undefined {
  const cause = error.cause;
  return cause instanceof ApplicationFailure ? (cause.type ?? cause.name) : cause?.name;
}
