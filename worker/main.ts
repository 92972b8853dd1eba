/** `npm run worker`: the worker role alone, as production runs it (scale it to N replicas). */
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { ConfigError, loadConfig } from '../common/config';
import { createDb, dbTimeoutsFrom } from '../common/db';
import { createLogger } from '../common/logger';
import { installTemporalRuntime } from '../common/metrics/temporal-runtime';
import { resolveSecrets } from '../common/secrets';
import { dataConverterFor, DEFAULT_TEMPORAL_ADDRESS, temporalSecurity } from '../common/temporal';
import { startTracing, tracingClientInterceptors } from '../common/tracing';
import { buildActivityDeps } from './activity-deps';
import { startWorkerMetricsServer } from './metrics-server';
import { createOnboardingWorker, workerCapacity } from './worker';

async function main() {
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new ConfigError('Invalid configuration:\n  DATABASE_URL: required to run the worker alone');
  if (!config.SMTP_URL) throw new ConfigError('Invalid configuration:\n  SMTP_URL: required to run the worker alone');
  if (!config.KYC_PROVIDER_URL) throw new ConfigError('Invalid configuration:\n  KYC_PROVIDER_URL: required to run the worker alone');
  if (!config.KYB_PROVIDER_URL) throw new ConfigError('Invalid configuration:\n  KYB_PROVIDER_URL: required to run the worker alone');
  const secrets = resolveSecrets(config);
  const logger = createLogger(config.LOG_LEVEL, 'worker');
  // The SDK's metrics exporter is part of the Runtime, which must exist before the first NativeConnection.
  installTemporalRuntime(config.TEMPORAL_SDK_METRICS_PORT);
  const db = createDb(config.DATABASE_URL, config.DATABASE_POOL_MAX, dbTimeoutsFrom(config));
  const tracing = startTracing(config, 'worker');
  const connection = await NativeConnection.connect({
    address: config.TEMPORAL_ADDRESS ?? DEFAULT_TEMPORAL_ADDRESS,
    ...temporalSecurity(config),
  });
  // Activities wake webhook deliveries through a client on the worker's own connection.
  const temporal = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: dataConverterFor(secrets),
    interceptors: tracingClientInterceptors(tracing),
  });
  const activities = buildActivityDeps(config, secrets, {
    db,
    temporal,
    smtpUrl: config.SMTP_URL,
    kycProviderUrl: config.KYC_PROVIDER_URL,
    kybProviderUrl: config.KYB_PROVIDER_URL,
  });
  const worker = await createOnboardingWorker({
    connection,
    config,
    secrets,
    activities,
    tracing,
  });
  const metrics = await startWorkerMetricsServer({ host: config.HOST, port: config.WORKER_METRICS_PORT, token: config.METRICS_TOKEN, logger });
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, metricsPort: config.WORKER_METRICS_PORT, ...workerCapacity(config) }, 'worker started');
  // The SDK stops polling on SIGINT/SIGTERM and lets running tasks finish before run() returns; the timer is the
  // backstop should closing the connections hang past the hard deadline.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => exitAfter(config.SHUTDOWN_TIMEOUT_MS + 2_000));
  await worker.run();
  await Promise.all([db.destroy(), connection.close(), metrics.close(), tracing?.shutdown()]);
  activities.mailer.close();
  logger.info('worker stopped');
}

function exitAfter(ms: number) {
  setTimeout(() => process.exit(1), ms).unref();
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
