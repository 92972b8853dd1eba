/** The onboarding worker: workflows from workflows/, activities built with their real clients. */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Config } from '../common/config';
import type { Secrets } from '../common/secrets';
import type { Tracing } from '../common/tracing';
import { dataConverterFor } from '../common/temporal';
import { createActivities, type ActivityDeps } from '../activities';
import { TRACING_WORKFLOW_MODULE, tracingWorkerOptions } from './tracing';

export interface OnboardingWorkerOptions {
  connection: NativeConnection;
  config: Pick<Config, 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE' | 'WORKER_SHUTDOWN_GRACE_MS' | 'SHUTDOWN_TIMEOUT_MS'> & WorkerCapacityConfig;
  secrets: Secrets;
  activities: ActivityDeps;
  /** A pre-built workflow bundle (tests build one per run); otherwise workflows/ is bundled at start. */
  workflowBundlePath?: string;
  /**
   * Tracing, when OTEL_EXPORTER_OTLP_ENDPOINT is set: activity spans, and workflow spans through a sink. The workflow
   * interceptors are in every bundle (./tracing.ts); a pre-built bundle must have been built with TRACING_WORKFLOW_MODULE.
   */
  tracing?: Tracing;
}

type WorkerCapacityConfig = Pick<
  Config,
  'WORKER_MAX_CACHED_WORKFLOWS' | 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS' | 'WORKER_MAX_CONCURRENT_ACTIVITIES' | 'WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES'
>;

/** The SDK's default workflow task slots, kept unless configured. */
const SDK_WORKFLOW_TASK_SLOTS = 40;

/**
 * The sticky cache and task slots. Without a cache size the SDK would size the cache from the heap limit (~2,300
 * workflows on a 4 GiB heap), so memory would grow with every parked onboarding until then: README "Worker memory
 * and how to size it". A workflow task holds its workflow in the cache, so the slots never exceed the cache.
 */
export function workerCapacity(config: WorkerCapacityConfig): Pick<
  WorkerOptions,
  'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions' | 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentLocalActivityExecutions'
> {
  const cache = config.WORKER_MAX_CACHED_WORKFLOWS;
  return {
    maxCachedWorkflows: cache,
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS ?? (cache > 0 ? Math.min(SDK_WORKFLOW_TASK_SLOTS, cache) : SDK_WORKFLOW_TASK_SLOTS),
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentLocalActivityExecutions: config.WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES,
  };
}

export function createOnboardingWorker(options: OnboardingWorkerOptions): Promise<Worker> {
  const tracing = tracingWorkerOptions(options.tracing);
  return Worker.create({
    connection: options.connection,
    namespace: options.config.TEMPORAL_NAMESPACE,
    taskQueue: options.config.TEMPORAL_TASK_QUEUE,
    dataConverter: dataConverterFor(options.secrets),
    activities: createActivities(options.activities),
    ...workerCapacity(options.config),
    // On shutdown (SIGTERM): stop polling, let running tasks finish for the grace time, then cancel activities;
    // past the hard deadline run() throws and the process exits without waiting any longer.
    shutdownGraceTime: options.config.WORKER_SHUTDOWN_GRACE_MS,
    shutdownForceTime: options.config.SHUTDOWN_TIMEOUT_MS,
    sinks: tracing.sinks,
    ...(options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath }, interceptors: tracing.interceptors }
      : { workflowsPath: require.resolve('../workflows'), interceptors: { ...tracing.interceptors, workflowModules: [TRACING_WORKFLOW_MODULE] } }),
  });
}
