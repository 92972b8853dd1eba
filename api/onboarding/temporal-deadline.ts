/**
 * Every call the API makes to Temporal runs under one deadline. Without it an update waits on a workflow whose
 * worker is gone, or on a frontend that accepted the connection and never answers, for as long as the caller
 * holds on. The deadline covers the whole operation, including the SDK's own polling for an update's outcome;
 * when it passes, the SDK throws an error that `isTemporalOutage` recognises, which the services answer as 503.
 */
import type { Client } from '@temporalio/client';

export type TemporalDeadline = <T>(call: () => Promise<T>) => Promise<T>;

export function temporalDeadline(temporal: Client, timeoutMs: number): TemporalDeadline {
  return (call) => temporal.withDeadline(Date.now() + timeoutMs, call);
}
