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
import { context, trace } from '@opentelemetry/api';
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';
import { TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import type { Headers } from '@temporalio/common';
import type { WorkflowInboundCallsInterceptor, WorkflowInterceptors, WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';

export const interceptors = (): WorkflowInterceptors => {
  // Made on first use: an execution without a trace context never builds the sandbox's tracer.
  let inboundOtel: OpenTelemetryInboundInterceptor | undefined;
  let outboundOtel: OpenTelemetryOutboundInterceptor | undefined;
  const traced = () => (inboundOtel ??= new OpenTelemetryInboundInterceptor());
  const tracedOut = () => (outboundOtel ??= new OpenTelemetryOutboundInterceptor());
  const carriesContext = (headers: Headers) => headers[TRACE_HEADER] !== undefined;
  const inSpan = () => trace.getSpan(context.active()) !== undefined;

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
    // Releases the sandbox's context manager when the execution leaves the cache (a no-op when never built).
    internals: [new OpenTelemetryInternalsInterceptor()],
  };
};
