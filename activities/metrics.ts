/**
 * What the activities record for /metrics, in the process that runs them (the worker; `npm start` runs it beside
 * the API, so both end up on one endpoint). Recorded here, in the activities, rather than through the activity
 * Context's metricMeter: the provider adapters and the status writer also run outside an activity (tests, the API's
 * staff status changes), and one registry keeps one naming and bucket scheme across API and worker.
 */
import { Histogram } from 'prom-client';
import { CALL_SECONDS_BUCKETS, metricsRegistry } from '../common/metrics/registry';

/** success: a usable answer; retryable: down, slow or throttled (Temporal retries); failed: refused or unreadable. */
export type ProviderOutcome = 'success' | 'retryable' | 'failed';

export const providerCallSeconds = new Histogram({
  name: 'onboarding_provider_call_duration_seconds',
  help: 'Calls to the KYC and KYB vendors by kind, vendor name, operation and outcome (success, retryable, failed), and how long they took',
  labelNames: ['kind', 'provider', 'operation', 'outcome'],
  buckets: CALL_SECONDS_BUCKETS,
  registers: [metricsRegistry],
});

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** From seconds (a code typed at once) to weeks (a customer who comes back to finish). */
export const stepSeconds = new Histogram({
  name: 'onboarding_step_duration_seconds',
  help: 'Time a customer spent in a status before moving on, by the status left (from) and entered (to)',
  labelNames: ['from', 'to'],
  buckets: [1, 5, 15, 30, MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 4 * HOUR, DAY, 3 * DAY, 7 * DAY, 30 * DAY],
  registers: [metricsRegistry],
});
