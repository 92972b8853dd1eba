/**
 * A throw-away copy of the product for fault experiments: a Temporal dev server (SQLite file, so it survives a
 * kill), an embedded PostgreSQL that can be stopped and started again, MailDev, the KYC sandbox behind a chaos
 * proxy, and the API and the worker as separate processes (`npm run api`, `npm run worker`) so each can be killed
 * on its own. Everything listens on 127.0.0.1 on free ports, under a temporary directory.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabaseIfMissing } from '../../devstack/databases';
import { startMailDev, type RunningMailDev } from '../../devstack/mail';
import { PROJECT_ROOT } from '../../devstack/paths';
import { startEmbeddedPostgres, type RunningPostgres } from '../../devstack/postgres';
import { spawnManaged, waitFor, type Managed } from '../../devstack/processes';
import { resolveTemporalCli, startTemporalDevServer, type RunningTemporal } from '../../devstack/temporal';
import { startKycSandbox, type RunningKycSandbox } from '../../devstack/kyc-sandbox';
import { freePort } from '../../test/support/ports';
import { startChaosProxy, type ChaosProxy } from './chaos-proxy';

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
  startWorker(): Promise<void>;
  /** SIGKILL: no drain, no goodbye, as when a machine dies. */
  killWorker(): void;
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  close(): Promise<void>;
}

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const dir = mkdtempSync(join(tmpdir(), 'onboarding-faults-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'logs'));
  const ports = { temporal: await freePort(), postgres: await freePort(), smtp: await freePort(), web: await freePort(), api: await freePort() };
  const stops: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const [temporal, postgres, mail] = await Promise.all([
      startTemporalDevServer({
        cliPath: resolveTemporalCli(process.env.TEMPORAL_CLI_PATH),
        port: ports.temporal,
        dbFile: join(dir, 'temporal.sqlite'),
        logFile: join(dir, 'logs', 'temporal.log'),
      }) as Promise<RunningTemporal>,
      startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), port: ports.postgres, persistent: true }) as Promise<RunningPostgres>,
      startMailDev({ smtpPort: ports.smtp, webPort: ports.web, logFile: join(dir, 'logs', 'maildev.log') }) as Promise<RunningMailDev>,
    ]);
    stops.push(temporal.stop, mail.stop, postgres.stop);
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
    await runToCompletion(spawnManaged(tsx, [join(PROJECT_ROOT, 'scripts', 'migrate.ts')], join(dir, 'logs', 'migrate.log'), { env }));
    const api = spawnManaged(tsx, [join(PROJECT_ROOT, 'api', 'main.ts')], join(dir, 'logs', 'api.log'), { env });
    stops.push(api.stop);
    await waitFor('API', async () => (await fetch(`${apiUrl}/health`)).ok, 60_000, () => (api.child.exitCode !== null ? api.tail() : undefined));
    const secrets = JSON.parse(readFileSync(join(dir, 'dev-secrets.json'), 'utf8')) as { platformAdminToken: string; kycWebhookSecret: string };

    const sandbox: RunningKycSandbox = await startKycSandbox({
      port: 0,
      webhookUrl: `${apiUrl}/api/v2.1/webhooks/kyc/sandbox`,
      webhookSecret: secrets.kycWebhookSecret,
      slowDelayMs: options.slowDelayMs ?? 1_500,
    });
    stops.push(sandbox.stop);
    const provider = await startChaosProxy(sandbox.url);
    stops.push(provider.close);

    let worker: Managed | undefined;
    stops.push(async () => worker?.stop());
    // The worker says 'worker started' at info level once it polls its task queue.
    const workerEnv = { ...env, LOG_LEVEL: 'info', KYC_PROVIDER_URL: provider.url };
    const lab: Lab = {
      dir,
      apiUrl,
      inboxUrl: mail.inboxUrl,
      databaseUrl,
      adminToken: secrets.platformAdminToken,
      provider,
      async startWorker() {
        const logFile = join(dir, 'logs', 'worker.log');
        const earlier = existsSync(logFile) ? readFileSync(logFile, 'utf8').length : 0;
        worker = spawnManaged(tsx, [join(PROJECT_ROOT, 'worker', 'main.ts')], logFile, { env: workerEnv });
        const started = worker;
        await waitFor('worker', async () => readFileSync(logFile, 'utf8').slice(earlier).includes('worker started'), 120_000, () =>
          started.child.exitCode !== null ? started.tail() : undefined,
        );
      },
      killWorker() {
        worker?.child.kill('SIGKILL');
      },
      stopPostgres: () => postgres.stop(),
      startPostgres: () => postgres.start(),
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
