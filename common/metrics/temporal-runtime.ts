/**
 * The Temporal SDK's own worker metrics (task slots, poll and task latencies, sticky cache …) come from its native
 * Runtime, which exports them in Prometheus format on an HTTP port of its own. A process that runs a worker installs
 * the Runtime here, once and before its first NativeConnection, with that exporter on 127.0.0.1 only; the process's
 * /metrics fetches it and serves it after prom-client's figures, so each process has one endpoint to scrape.
 */
import { Runtime } from '@temporalio/worker';

/** Where this process's SDK exporter listens; unset until installTemporalRuntime ran (an API-only process). */
let sdkMetricsUrl: string | undefined;

const FETCH_TIMEOUT_MS = 2_000;

/** Installs the process's Runtime with the Prometheus exporter. Call once, before any NativeConnection. */
export function installTemporalRuntime(sdkMetricsPort: number): void {
  const bindAddress = `127.0.0.1:${sdkMetricsPort}`;
  Runtime.install({
    telemetryOptions: {
      // Seconds, like every other duration on /metrics; the `temporal_` prefix keeps its names apart from ours.
      metrics: { prometheus: { bindAddress, useSecondsForDurations: true } },
    },
  });
  sdkMetricsUrl = `http://${bindAddress}/metrics`;
}

/** The SDK's exposition text, or undefined when this process runs no worker. Throws when the exporter does not answer. */
export async function temporalSdkMetrics(): Promise<string | undefined> {
  if (!sdkMetricsUrl) return undefined;
  const response = await fetch(sdkMetricsUrl, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`the Temporal SDK exporter answered ${response.status}`);
  return response.text();
}
