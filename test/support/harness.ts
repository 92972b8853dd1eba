/**
 * One test file's slice of the real system: its own database (migrated), task queue, worker and API server,
 * on the infrastructure global setup started. Tests talk to `api` over HTTP like a tenant would, and look at
 * `db`, `temporal` and the MailDev inbox to check what was stored and sent.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { parseConfig, type Config } from '../../common/config';
import { createDb, type Knex } from '../../common/db';
import { createLogger } from '../../common/logger';
import type { Secrets } from '../../common/secrets';
import { connectClient, dataConverterFor } from '../../common/temporal';
import { startTracing, tracingClientInterceptors } from '../../common/tracing';
import type { ActivityDeps } from '../../activities';
import { startApiServer, type RunningApi } from '../../api/server';
import type { SandboxVendorUrls } from '../../api/platform/sandbox-outcomes';
import { createDatabaseIfMissing } from '../../devstack/databases';
import { migrateToLatest } from '../../migrations';
import { newWebhookSecret } from '../../api/webhooks/signature';
import { startKybSandbox, type KybSandboxOptions, type RunningKybSandbox } from '../../devstack/kyb-sandbox';
import { startKycSandbox, type KycSandboxOptions, type RunningKycSandbox } from '../../devstack/kyc-sandbox';
import { buildActivityDeps } from '../../worker/activity-deps';
import { createOnboardingWorker } from '../../worker/worker';
import { testInfrastructure, type TestInfrastructure } from './infrastructure';

export interface Harness {
  infra: TestInfrastructure;
  config: Config;
  secrets: Secrets;
  db: Knex;
  temporal: Client;
  api: RunningApi;
  activityDeps: ActivityDeps;
  kycSandbox: RunningKycSandbox;
  /** The slice's worker; absent when started with `withWorker: false`. */
  worker?: Worker;
  /** Absent when the harness was started with `kybSandbox: false`. */
  kybSandbox?: RunningKybSandbox;
  close(): Promise<void>;
}

export function testSecrets(): Secrets {
  return {
    platformAdminToken: `pat_${randomBytes(18).toString('hex')}`,
    jwtSecret: randomBytes(32).toString('hex'),
    payloadKeyId: 'test',
    payloadKey: randomBytes(32).toString('base64'),
    kycWebhookSecret: newWebhookSecret(),
    kybWebhookSecret: newWebhookSecret(),
  };
}

/** Starts the slice. `withWorker: false` leaves workflows unprocessed (for tests of the edge alone). */
export async function startHarness(
  name: string,
  options: {
    withWorker?: boolean;
    env?: Record<string, string>;
    secrets?: Secrets;
    kycSandbox?: Partial<KycSandboxOptions>;
    /** The KYB sandbox vendor's options; `false` runs none (the KYB provider URL then points nowhere). */
    kybSandbox?: Partial<KybSandboxOptions> | false;
    /** Local doubles for some clients (e.g. a mailer that always fails); the rest are the real ones. */
    activityDeps?: Partial<ActivityDeps>;
    /** The built back office the API serves (default: the working tree's backoffice/dist). */
    backofficeDir?: string;
  } = {},
): Promise<Harness> {
  if (options.withWorker !== false) Runtime.install({ logger: new DefaultLogger('WARN') });
  const infra = testInfrastructure();
  const suffix = randomBytes(4).toString('hex');
  const documentDir = mkdtempSync(join(tmpdir(), 'onboarding-documents-'));
  const databaseUrl = await createDatabaseIfMissing(infra.serverUrl, `test_${name}_${suffix}`);
  const config = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: infra.temporalAddress,
    TEMPORAL_TASK_QUEUE: `test-${name}-${suffix}`,
    SMTP_URL: infra.smtpUrl,
    // Tests wait seconds, not hours: the settings floors are lowered here and raised where a test proves them.
    SETTINGS_MIN_REMINDER_SECONDS: '1',
    SETTINGS_MIN_RESEND_COOLDOWN_SECONDS: '1',
    WORKER_SHUTDOWN_GRACE_MS: '0',
    // Uploaded documents go to a throw-away directory, never the working tree's .data/.
    DOCUMENT_DIR: documentDir,
    ...options.env,
  });
  const secrets = options.secrets ?? testSecrets();
  const db = createDb(databaseUrl, 10);
  await migrateToLatest(db);
  const dataConverter = dataConverterFor(secrets);
  // Tracing is on when the test's env names an OTLP endpoint (test/integration/tracing.test.ts), as in production.
  const tracing = startTracing(config, 'all');
  const temporal = await connectClient(infra.temporalAddress, config.TEMPORAL_NAMESPACE, dataConverter, {}, tracingClientInterceptors(tracing));
  // The sandbox vendors start after the API (they call it back); the sandbox outcome routes learn where they are then.
  const sandboxVendors: SandboxVendorUrls = {};
  const api = await startApiServer(config, secrets, { db, temporal, logger: createLogger('silent', 'test'), sandboxVendors, tracing, backofficeDir: options.backofficeDir }, 0);
  // Each slice has its own KYC sandbox, so the provider's callbacks reach this file's API.
  const kycSandbox = await startKycSandbox({
    port: 0,
    webhookUrl: `${api.url}/api/v2.1/webhooks/kyc/${config.KYC_PROVIDER_NAME}`,
    webhookSecret: secrets.kycWebhookSecret,
    slowDelayMs: 1500,
    ...options.kycSandbox,
  });
  const kybSandbox =
    options.kybSandbox === false
      ? undefined
      : await startKybSandbox({
          port: 0,
          webhookUrl: `${api.url}/api/v2.1/webhooks/kyb/${config.KYB_PROVIDER_NAME}`,
          webhookSecret: secrets.kybWebhookSecret,
          slowDelayMs: 1500,
          ...options.kybSandbox,
        });
  sandboxVendors.kyc = kycSandbox.url;
  sandboxVendors.kyb = kybSandbox?.url;
  const activityDeps = {
    ...buildActivityDeps(config, secrets, {
      db,
      temporal,
      smtpUrl: infra.smtpUrl,
      kycProviderUrl: kycSandbox.url,
      kybProviderUrl: kybSandbox?.url ?? 'http://127.0.0.1:1',
    }),
    ...options.activityDeps,
  };

  let worker: Worker | undefined;
  let workerDone: Promise<void> | undefined;
  let connection: NativeConnection | undefined;
  if (options.withWorker !== false) {
    connection = await NativeConnection.connect({ address: infra.temporalAddress });
    worker = await createOnboardingWorker({
      connection,
      config,
      secrets,
      workflowBundlePath: infra.workflowBundlePath,
      activities: activityDeps,
      tracing,
    });
    workerDone = worker.run();
  }

  return {
    infra,
    config,
    secrets,
    db,
    temporal,
    api,
    activityDeps,
    kycSandbox,
    kybSandbox,
    worker,
    async close() {
      await api.close();
      await kycSandbox.stop();
      await kybSandbox?.stop();
      if (worker) {
        worker.shutdown();
        await workerDone;
      }
      await connection?.close();
      await temporal.connection.close();
      activityDeps.mailer.close();
      await db.destroy();
      await tracing?.shutdown();
      rmSync(documentDir, { recursive: true, force: true });
    },
  };
}
