/**
 * OpenTelemetry traces, on only when OTEL_EXPORTER_OTLP_ENDPOINT is set: one tracer provider per process, spans
 * batched to the collector over OTLP/HTTP (JSON). Unset, nothing is registered and every caller gets the API's
 * no-op tracer, so tracing costs nothing beyond it.
 *
 * The provider is registered globally (the AsyncLocalStorage context manager and the W3C propagator): the Temporal
 * interceptors read the active span and write `traceparent` into workflow and activity headers through them, which
 * is what joins the API's request span, the client's start/update span, the workflow's and the activities' spans
 * into one trace. What goes into attributes is decided by their authors: route templates, workflow and activity
 * ids and types, statuses; never a request's body, URL or caller.
 */
import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { Resource } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { ClientInterceptors } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { Config } from './config';

export type TracingConfig = Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_SERVICE_NAME' | 'OTEL_TRACES_SAMPLE_RATIO'>;

export interface Tracing {
  tracer: Tracer;
  /** Workflow spans leave the sandbox through a sink into this processor (worker/tracing.ts). */
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Sends what is still batched, then unregisters the provider. */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing for this process when an endpoint is configured; `role` (api, worker, or all for `npm start`)
 * becomes part of the service name, so the collector shows the API and the worker apart.
 */
export function startTracing(config: TracingConfig, role: 'api' | 'worker' | 'all'): Tracing | undefined {
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const resource = new Resource({ [ATTR_SERVICE_NAME]: `${config.OTEL_SERVICE_NAME}-${role}` });
  const exporter = new OTLPTraceExporter({ url: `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` });
  const spanProcessor = new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1_000 });
  const provider = new NodeTracerProvider({
    resource,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.OTEL_TRACES_SAMPLE_RATIO) }),
    spanProcessors: [spanProcessor],
  });
  provider.register();
  return {
    tracer: provider.getTracer('onboarding-orchestrator'),
    spanProcessor,
    resource,
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** A Temporal client's interceptors: its starts, updates and signals become spans whose context travels in headers. */
export function tracingClientInterceptors(tracing: Tracing | undefined): ClientInterceptors | undefined {
  return tracing ? { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer })] } : undefined;
}
