/**
 * The worker's part of tracing (common/tracing.ts): the workflow interceptors module (always bundled, see
 * workflows/tracing-interceptors.ts: it traces only executions whose history carries a trace context, so turning
 * tracing on or off never changes how a running workflow replays), the activity interceptors (a span per activity
 * execution, when tracing is on), and the sink through which the workflow sandbox hands its finished spans to this
 * process's span processor (a no-op one when tracing is off here but a traced client started the workflow).
 * Spans inside the sandbox are made on workflow time and are not exported again on replay.
 */
import { Resource } from '@opentelemetry/resources';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { InjectedSinks, WorkerOptions } from '@temporalio/worker';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import type { Tracing } from '../common/tracing';

/** Bundled into every workflow bundle: a pre-built one (tests) passes it to bundleWorkflowCode. */
export const TRACING_WORKFLOW_MODULE = require.resolve('../workflows/tracing-interceptors');

/** Activity interceptors and the sink; the workflow module goes in with the bundle (see createOnboardingWorker). */
export function tracingWorkerOptions(tracing: Tracing | undefined): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  const sinks: InjectedSinks<OpenTelemetrySinks> = {
    exporter: makeWorkflowExporter(tracing?.spanProcessor ?? new NoopSpanProcessor(), tracing?.resource ?? Resource.empty()),
  };
  return {
    interceptors: {
      activity: tracing
        ? [
            (ctx) => ({
              inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer: tracing.tracer }),
              outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
            }),
          ]
        : [],
    },
    sinks,
  };
}
