/**
 * The workflow side of tracing: the OpenTelemetry workflow interceptors, engaged only where the history carries a
 * trace context. Not a workflow; bundled into every worker's workflow code (worker/tracing.ts), tracing on or off.
 *
 * Why not the package's interceptors as they are (test/replay shows both):
 * - they change when workflow code sees its results (extra awaits around every activity, timer and handler), so an
 *   execution recorded without them fails to replay with them (TimerCanceled / ActivityTaskScheduled
 *   nondeterminism in 14 of our recorded histories), and switching tracing on or off would break running
 *   onboardings. Here a span is made only for a start, signal or update whose headers carry a trace context, and
 *   around outbound calls only inside such a span: all of it decided by the history, so it replays the same, and
 *   executions without a context (every one recorded before, every one started while tracing is off) run exactly
 *   as without interceptors;
 * - their query and update-validator spans draw span ids from the workflow's seeded random source, and queries and
 *   rejected updates are not in the history, so every later uuid4() differs on replay (temporalio/sdk-typescript
 *   #2023; the KYC and KYB checks name their verifications with uuid4()). Those two are never traced here.
 */
import type { Headers } from '@temporalio/common';
import type { WorkflowInboundCallsInterceptor, WorkflowInterceptors, WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';
import type * as OtelApi from '@opentelemetry/api';
import type * as OtelWorkflow from '@temporalio/interceptors-opentelemetry/lib/workflow';

/**
 * The header the package's interceptors carry a trace context in (its `TRACE_HEADER`; a unit test holds the two
 * equal). Named here so that an execution without one never loads OpenTelemetry at all: with a reused V8 context,
 * every workflow evaluates the modules it requires into its own module cache, and OpenTelemetry's ~120 modules
 * were most of what each new or replayed onboarding paid for and each cached one held (issue 12).
 */
export const TRACE_HEADER = '_tracer-data';

interface Otel {
  api: typeof OtelApi;
  inbound: OtelWorkflow.OpenTelemetryInboundInterceptor;
  outbound: OtelWorkflow.OpenTelemetryOutboundInterceptor;
  internals: OtelWorkflow.OpenTelemetryInternalsInterceptor;
}

export const interceptors = (): WorkflowInterceptors => {
  // Loaded and built on first use, by a start, signal or update that carries a trace context: the history decides.
  let otel: Otel | undefined;
  const load = (): Otel => {
    if (otel) return otel;
    const workflow = require('@temporalio/interceptors-opentelemetry/lib/workflow') as typeof OtelWorkflow;
    const api = require('@opentelemetry/api') as typeof OtelApi;
    otel = {
      api,
      inbound: new workflow.OpenTelemetryInboundInterceptor(),
      outbound: new workflow.OpenTelemetryOutboundInterceptor(),
      internals: new workflow.OpenTelemetryInternalsInterceptor(),
    };
    return otel;
  };
  const traced = () => load().inbound;
  const tracedOut = () => load().outbound;
  const carriesContext = (headers: Headers) => headers[TRACE_HEADER] !== undefined;
  // No span can be active in an execution that never loaded OpenTelemetry.
  const inSpan = () => otel !== undefined && otel.api.trace.getSpan(otel.api.context.active()) !== undefined;

  const inbound: WorkflowInboundCallsInterceptor = {
    execute: (input, next) => (carriesContext(input.headers) ? traced().execute(input, next) : next(input)),
    handleSignal: (input, next) => (carriesContext(input.headers) ? traced().handleSignal(input, next) : next(input)),
    handleUpdate: (input, next) => (carriesContext(input.headers) ? traced().handleUpdate(input, next) : next(input)),
  };
  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: (input, next) => (inSpan() ? tracedOut().scheduleActivity(input, next) : next(input)),
    scheduleLocalActivity: (input, next) => (inSpan() ? tracedOut().scheduleLocalActivity(input, next) : next(input)),
    startChildWorkflowExecution: (input, next) => (inSpan() ? tracedOut().startChildWorkflowExecution(input, next) : next(input)),
    continueAsNew: (input, next) => (inSpan() ? tracedOut().continueAsNew(input, next) : next(input)),
    signalWorkflow: (input, next) => (inSpan() ? tracedOut().signalWorkflow(input, next) : next(input)),
  };
  return {
    inbound: [inbound],
    outbound: [outbound],
    // Releases the sandbox's context manager when the execution leaves the cache (nothing to release when never loaded).
    internals: [{ dispose: (input, next) => (otel ? otel.internals.dispose(input, next) : next(input)) }],
  };
};
