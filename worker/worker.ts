/** The onboarding worker: workflows from workflows/, activities built with their real clients. */
import { NativeConnection, Worker } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { createActivities, type ActivityDeps } from '../activities';

export interface OnboardingWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dataConverter: DataConverter;
  activities: ActivityDeps;
  /** A pre-built workflow bundle (tests build one per run); otherwise workflows/ is bundled at start. */
  workflowBundlePath?: string;
}

export function createOnboardingWorker(options: OnboardingWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    dataConverter: options.dataConverter,
    activities: createActivities(options.activities),
    ...(options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : { workflowsPath: require.resolve('../workflows') }),
  });
}
