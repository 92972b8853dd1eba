/**
 * `npm start`: the whole product on one machine, no Docker. Starts (or connects to) Temporal, PostgreSQL and
 * a mail catcher, applies migrations, ensures the demo tenant, builds the back office (backoffice/dist, served by
 * the API under /backoffice/), then runs the worker and the API in this process.
 * Ctrl-C or SIGTERM stops everything it started.
 */
import { join } from 'node:path';
import exitHook from 'async-exit-hook';
import { NativeConnection } from '@temporalio/worker';
import { ConfigError, loadConfig } from '../common/config';
import { createDb, dbTimeoutsFrom } from '../common/db';
import { createLogger } from '../common/logger';
import { installTemporalRuntime } from '../common/metrics/temporal-runtime';
import { resolveSecrets } from '../common/secrets';
import { connectClient, dataConverterFor, temporalSecurity } from '../common/temporal';
import { startApiServer } from '../api/server';
import { buildBackoffice } from '../backoffice/build';
import { startTracing, tracingClientInterceptors } from '../common/tracing';
import { migrateToLatest } from '../migrations';
import { buildActivityDeps } from '../worker/activity-deps';
import { createOnboardingWorker } from '../worker/worker';
import { startKybSandbox } from './kyb-sandbox';
import { startKycSandbox } from './kyc-sandbox';
import { ensureDemoTenant } from './demo-tenant';
import { startStack } from './stack';

/** Stops whatever has been started so far; set once the stack is up. */
let stopAll: (() => Promise<void>) | undefined;

async function main() {
  const config = loadConfig();
  const secrets = resolveSecrets(config);
  const logger = createLogger(config.LOG_LEVEL, 'onboarding');
  const apiBase = `http://localhost:${config.PORT}`;
  // Before any NativeConnection: the worker's SDK metrics join the API's /metrics through this Runtime's exporter.
  installTemporalRuntime(config.TEMPORAL_SDK_METRICS_PORT);

  console.log('Starting the onboarding stack ...');
  const stack = await startStack({
    dataDir: config.DATA_DIR,
    persistent: true,
    database: 'onboarding',
    temporalAddress: config.TEMPORAL_ADDRESS,
    temporalCliPath: config.TEMPORAL_CLI_PATH,
    databaseUrl: config.DATABASE_URL,
    smtpUrl: config.SMTP_URL,
    ports: {
      temporal: config.TEMPORAL_PORT,
      temporalUi: config.TEMPORAL_UI_PORT,
      postgres: config.EMBEDDED_POSTGRES_PORT,
      smtp: config.MAILDEV_SMTP_PORT,
      mailWeb: config.MAILDEV_WEB_PORT,
    },
    codecEndpoint: `${apiBase}/codec`,
  });
  const cleanups: Array<() => Promise<unknown>> = [stack.stop];
  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= (async () => {
      console.log('\nStopping ...');
      for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error(error));
    })());
  stopAll = shutdown;
  exitHook.forceExitTimeout(config.SHUTDOWN_TIMEOUT_MS + 2_000);
  exitHook((done) => void shutdown().then(done));

  const db = createDb(stack.databaseUrl, config.DATABASE_POOL_MAX, dbTimeoutsFrom(config));
  cleanups.push(() => db.destroy());
  await migrateToLatest(db);
  const demo = await ensureDemoTenant(db, config.DATA_DIR);

  let kycProviderUrl = config.KYC_PROVIDER_URL;
  if (!kycProviderUrl) {
    const sandbox = await startKycSandbox({
      port: config.KYC_SANDBOX_PORT,
      webhookUrl: `${apiBase}/api/v2.1/webhooks/kyc/${config.KYC_PROVIDER_NAME}`,
      webhookSecret: secrets.kycWebhookSecret,
      // Like a real vendor, the sandbox keeps its checks and owed callbacks across a restart of npm start.
      stateFile: join(config.DATA_DIR, 'kyc-sandbox.json'),
      log: (message) => logger.warn({ component: 'kyc-sandbox' }, message),
    });
    cleanups.push(sandbox.stop);
    kycProviderUrl = sandbox.url;
  }
  let kybProviderUrl = config.KYB_PROVIDER_URL;
  if (!kybProviderUrl) {
    const sandbox = await startKybSandbox({
      port: config.KYB_SANDBOX_PORT,
      webhookUrl: `${apiBase}/api/v2.1/webhooks/kyb/${config.KYB_PROVIDER_NAME}`,
      webhookSecret: secrets.kybWebhookSecret,
      stateFile: join(config.DATA_DIR, 'kyb-sandbox.json'),
      log: (message) => logger.warn({ component: 'kyb-sandbox' }, message),
    });
    cleanups.push(sandbox.stop);
    kybProviderUrl = sandbox.url;
  }
  // TLS and API key apply to an external cluster; the dev server this starts listens in clear text on loopback.
  const security = config.TEMPORAL_ADDRESS ? temporalSecurity(config) : {};
  // One tracer provider for the API and the worker this process runs (registered once; flushed last on the way out).
  const tracing = startTracing(config, 'all');
  if (tracing) cleanups.push(() => tracing.shutdown());
  const temporal = await connectClient(stack.temporalAddress, config.TEMPORAL_NAMESPACE, dataConverterFor(secrets), security, tracingClientInterceptors(tracing));
  cleanups.push(() => temporal.connection.close());
  const activities = buildActivityDeps(config, secrets, { db, temporal, smtpUrl: stack.smtpUrl, kycProviderUrl, kybProviderUrl });
  const connection = await NativeConnection.connect({ address: stack.temporalAddress, ...security });
  cleanups.push(async () => connection.close());
  const worker = await createOnboardingWorker({
    connection,
    config,
    secrets,
    activities,
    tracing,
  });
  const workerDone = worker.run();
  cleanups.push(async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerDone;
    activities.mailer.close();
  });

  // The web app is bundled from source on every start (esbuild: well under a second), so it matches the code.
  await buildBackoffice();
  const api = await startApiServer(config, secrets, { db, temporal, logger, tracing, sandboxVendors: { kyc: kycProviderUrl, kyb: kybProviderUrl } });
  // Stopped first (cleanups run in reverse): /ready turns 503 and in-flight requests finish. No load balancer sits
  // in front of `npm start`, so there is no drain delay to wait out.
  cleanups.push(() => api.shutdown({ drainDelayMs: 0 }));

  console.log(`
Onboarding orchestrator is running (${stack.started.length ? `started: ${stack.started.join(', ')}` : 'external services'}).
  API            ${apiBase}
  Back office    ${apiBase}/backoffice/   (staff sign-in: README "Compliance back office")
  API reference  ${apiBase}/docs   (OpenAPI: ${apiBase}/openapi.json)
  Readiness      ${apiBase}/ready
  Metrics        ${apiBase}/metrics   (Prometheus: API, worker and Temporal SDK figures)
  Temporal UI    ${stack.temporalUiUrl ?? `(external Temporal at ${stack.temporalAddress})`}
  Traces         ${config.OTEL_EXPORTER_OTLP_ENDPOINT ? `to ${config.OTEL_EXPORTER_OTLP_ENDPOINT} (OTLP/HTTP)` : 'off (set OTEL_EXPORTER_OTLP_ENDPOINT)'}
  KYC provider   ${kycProviderUrl}${config.KYC_PROVIDER_URL ? '' : ' (sandbox: last name Reject, Review, Slow, Flaky or Silent picks the outcome)'}
  KYB provider   ${kybProviderUrl}${config.KYB_PROVIDER_URL ? '' : ' (sandbox: Reject, Review, Slow, Flaky, Silent, Mismatch, Dissolved or Unregistered in the business name)'}
  Mail inbox     ${stack.inboxUrl ? stack.inboxUrl.replace('127.0.0.1', 'localhost') : `(external SMTP ${stack.smtpUrl})`}

Demo tenant "${demo.name}" (${demo.tier})
  X-Tenant-ID    ${demo.tenantId}
  client_id      ${demo.clientId}
  client_secret  ${demo.clientSecret}
Platform admin token: ${secrets.platformAdminToken} (creates the first staff account: README "Staff accounts and sessions")

Get a token:  curl -s ${apiBase}/api/v2.1/oauth/token -d grant_type=client_credentials -d client_id=${demo.clientId} -d client_secret=${demo.clientSecret}
Press Ctrl-C to stop.`);
}

main().catch(async (error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  await stopAll?.();
  process.exit(1);
});
