/**
 * The worker's part of tracing (common/tracing.ts): the OpenTelemetry workflow interceptors (bundled into the
 * workflow code: they continue the trace whose context the client put in the headers, and pass it on to activities
 * and child workflows), the activity interceptors (a span per activity execution), and the sink through which the
 * workflow sandbox hands its finished spans to this process's span processor. Spans inside the sandbox are made on
 * workflow time and are not recorded again on replay.
 *
 * Tracing is switched per process, not per workflow: a worker with it and one without replay the same histories
 * (test/replay proves it with and without the interceptors).
 */
import type { InjectedSinks, WorkerOptions } from '@temporalio/worker';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import type { Tracing } from '../common/tracing';

/** The workflow interceptors module; it must be in the workflow bundle (a pre-built bundle needs it at build time). */
export const TRACING_WORKFLOW_MODULE = require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

export function tracingWorkerOptions(tracing: Tracing): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  const sinks: InjectedSinks<OpenTelemetrySinks> = { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) };
  return {
    interceptors: {
      workflowModules: [TRACING_WORKFLOW_MODULE],
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer: tracing.tracer }),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks,
  };
}
