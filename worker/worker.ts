/** The onboarding worker: workflows from workflows/, activities built with their real clients. */
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Config } from '../common/config';
import type { Secrets } from '../common/secrets';
import type { Tracing } from '../common/tracing';
import { dataConverterFor } from '../common/temporal';
import { createActivities, type ActivityDeps } from '../activities';
import { TRACING_WORKFLOW_MODULE, tracingWorkerOptions } from './tracing';

export interface OnboardingWorkerOptions {
  connection: NativeConnection;
  config: Pick<Config, 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE' | 'WORKER_SHUTDOWN_GRACE_MS' | 'SHUTDOWN_TIMEOUT_MS'>;
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

export function createOnboardingWorker(options: OnboardingWorkerOptions): Promise<Worker> {
  const tracing = tracingWorkerOptions(options.tracing);
  return Worker.create({
    connection: options.connection,
    namespace: options.config.TEMPORAL_NAMESPACE,
    taskQueue: options.config.TEMPORAL_TASK_QUEUE,
    dataConverter: dataConverterFor(options.secrets),
    activities: createActivities(options.activities),
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
