/**
 * A throw-away copy of the product for fault experiments: a Temporal dev server (SQLite file, so it survives a
 * kill), an embedded PostgreSQL that can be stopped, crashed and started again, MailDev, the KYC sandbox as a
 * process of its own (state file, so it survives a kill) behind a chaos proxy, and the API and the worker as
 * separate processes so each can be killed on its own, or all together. Everything listens on 127.0.0.1 on free
 * ports, under a temporary directory; a restart reuses the same ports and state.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabaseIfMissing } from '../../devstack/databases';
import { startMailDev, type RunningMailDev } from '../../devstack/mail';
import { PROJECT_ROOT } from '../../devstack/paths';
import { startEmbeddedPostgres, type RunningPostgres } from '../../devstack/postgres';
import { spawnManaged, type Managed } from '../../devstack/processes';
import { resolveTemporalCli, startTemporalDevServer, type RunningTemporal, type TemporalDevServerOptions } from '../../devstack/temporal';
import { freePort } from '../../test/support/ports';
import { startChaosProxy, type ChaosProxy } from './chaos-proxy';
import { crashPostgres, nodeRole, restartPostgres } from './lab-roles';

export interface LabOptions {
  /** Extra environment for the API and the worker (short timeouts for faster experiments). */
  env?: Record<string, string>;
  /** Milliseconds the sandbox holds the callback of a `Slow` check. */
  slowDelayMs?: number;
}

export interface Lab {
  dir: string;
  apiUrl: string;
  inboxUrl: string;
  databaseUrl: string;
  adminToken: string;
  provider: ChaosProxy;
  /** The sandbox's state file: its checks and the callbacks it still owes. */
  kycSandboxStateFile: string;
  startWorker(): Promise<void>;
  /** SIGKILL: no drain, no goodbye, as when a machine dies. */
  killWorker(): Promise<void>;
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  /** Starts the sandbox again (same port and state file) holding `Slow` callbacks this long from now on. */
  restartKycSandbox(slowDelayMs: number): Promise<void>;
  /** SIGKILL to everything `npm start` runs (Temporal, PostgreSQL, KYC sandbox, API, worker); MailDev stays. */
  killStack(): Promise<void>;
  /** Starts what killStack killed, on the same ports and state. */
  startStack(): Promise<void>;
  close(): Promise<void>;
}

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const dir = mkdtempSync(join(tmpdir(), 'onboarding-faults-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'logs'));
  const log = (name: string) => join(dir, 'logs', `${name}.log`);
  const ports = {
    temporal: await freePort(), postgres: await freePort(), smtp: await freePort(), web: await freePort(), api: await freePort(), kyc: await freePort(),
    // The worker's /metrics and its Temporal SDK exporter: free ones, so labs running side by side do not collide.
    workerMetrics: await freePort(), sdkMetrics: await freePort(),
  };
  const stops: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const temporalOptions: TemporalDevServerOptions = {
      cliPath: resolveTemporalCli(process.env.TEMPORAL_CLI_PATH),
      port: ports.temporal,
      dbFile: join(dir, 'temporal.sqlite'),
      logFile: log('temporal'),
    };
    const postgresDir = join(dir, 'postgres');
    const [firstTemporal, postgres, mail] = await Promise.all([
      startTemporalDevServer(temporalOptions) as Promise<RunningTemporal>,
      startEmbeddedPostgres({ dataDir: postgresDir, port: ports.postgres, persistent: true }) as Promise<RunningPostgres>,
      startMailDev({ smtpPort: ports.smtp, webPort: ports.web, logFile: log('maildev') }) as Promise<RunningMailDev>,
    ]);
    let temporal = firstTemporal;
    stops.push(() => temporal.stop(), mail.stop, postgres.stop);
    const databaseUrl = await createDatabaseIfMissing(postgres.url('postgres'), 'onboarding');
    const apiUrl = `http://127.0.0.1:${ports.api}`;

    // Secrets are generated into DATA_DIR by the first role to start; the API starts first, alone.
    const env: Record<string, string> = {
      ...stripInherited(process.env),
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATA_DIR: dir,
      HOST: '127.0.0.1',
      PORT: String(ports.api),
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: 'faults',
      SMTP_URL: mail.smtpUrl,
      ...options.env,
    };
    const tsx = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
    await runToCompletion(spawnManaged(tsx, [join(PROJECT_ROOT, 'scripts', 'migrate.ts')], log('migrate'), { env }));
    const api = nodeRole({ name: 'API', script: 'api/main.ts', env, logFile: log('api'), ready: async () => (await fetch(`${apiUrl}/health`)).ok });
    stops.push(api.stop);
    await api.start();
    const secrets = JSON.parse(readFileSync(join(dir, 'dev-secrets.json'), 'utf8')) as { platformAdminToken: string; kycWebhookSecret: string };

    const kycSandboxUrl = `http://127.0.0.1:${ports.kyc}`;
    const kycSandboxStateFile = join(dir, 'kyc-sandbox.json');
    let slowDelayMs = options.slowDelayMs ?? 1_500;
    const sandbox = () =>
      nodeRole({
        name: 'KYC sandbox',
        script: 'devstack/kyc-sandbox/main.ts',
        args: ['--port', String(ports.kyc), '--webhook-url', `${apiUrl}/api/v2.1/webhooks/kyc/sandbox`, '--state-file', kycSandboxStateFile, '--slow-delay-ms', String(slowDelayMs)],
        env: { ...stripInherited(process.env), KYC_SANDBOX_WEBHOOK_SECRET: secrets.kycWebhookSecret },
        logFile: log('kyc-sandbox'),
        ready: async () => (await fetch(`${kycSandboxUrl}/v1/checks/probe`)).status === 404,
      });
    let kycSandbox = sandbox();
    stops.push(() => kycSandbox.stop());
    await kycSandbox.start();
    const provider = await startChaosProxy(kycSandboxUrl);
    stops.push(provider.close);

    // The worker says 'worker started' at info level once it polls its task queue.
    const worker = nodeRole({
      name: 'worker',
      script: 'worker/main.ts',
      // The lab drives individuals only: no KYB call is ever made, but the worker role requires a KYB vendor URL.
      env: {
        ...env,
        LOG_LEVEL: 'info',
        KYC_PROVIDER_URL: provider.url,
        KYB_PROVIDER_URL: 'http://127.0.0.1:1',
        WORKER_METRICS_PORT: String(ports.workerMetrics),
        TEMPORAL_SDK_METRICS_PORT: String(ports.sdkMetrics),
      },
      logFile: log('worker'),
      ready: async (output) => output().includes('worker started'),
    });
    stops.push(worker.stop);
    const lab: Lab = {
      dir,
      apiUrl,
      inboxUrl: mail.inboxUrl,
      databaseUrl,
      adminToken: secrets.platformAdminToken,
      provider,
      kycSandboxStateFile,
      startWorker: worker.start,
      killWorker: worker.crash,
      stopPostgres: () => postgres.stop(),
      startPostgres: () => postgres.start(),
      async restartKycSandbox(delayMs) {
        await kycSandbox.stop();
        slowDelayMs = delayMs;
        kycSandbox = sandbox();
        await kycSandbox.start();
      },
      async killStack() {
        await Promise.all([worker.crash(), api.crash(), kycSandbox.crash(), temporal.crash(), crashPostgres(postgresDir)]);
      },
      async startStack() {
        [temporal] = await Promise.all([startTemporalDevServer(temporalOptions), restartPostgres(postgres), kycSandbox.start()]);
        await api.start();
        await worker.start();
      },
      close,
    };
    await lab.startWorker();
    return lab;
  } catch (error) {
    await close();
    throw error;
  }
}

/** The lab's roles get only what the lab sets, never a developer's DATABASE_URL or TEMPORAL_ADDRESS. */
function stripInherited(env: NodeJS.ProcessEnv): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TEMPORAL_CLI_PATH'];
  return Object.fromEntries(keep.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]!]])));
}

async function runToCompletion(process: Managed): Promise<void> {
  const code = await new Promise<number | null>((resolve) => process.child.once('exit', resolve));
  if (code !== 0) throw new Error(`migrations failed:\n${process.tail()}`);
}
