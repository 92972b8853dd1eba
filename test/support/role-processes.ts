/**
 * The product's launchers in their own operating-system processes, configured only through their environment, on a
 * harness's database, Temporal and mail: `npm start`'s composition (devstack/start.ts: worker and API in one
 * process) and `npm run worker` alone. For what only a whole process shows, such as its Temporal Runtime's metrics.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harnessProcessEnv } from './api-process';
import type { Harness } from './harness';
import { freePort } from './ports';

export interface RoleProcess {
  /** The API's base URL (start), or the worker's metrics URL (worker). */
  url: string;
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');
/** Bundling the workflows comes first in both; on a loaded machine that takes a while. */
const READY_WITHIN_MS = 150_000;

function commonEnv(h: Harness, dataDir: string): Record<string, string> {
  return { ...harnessProcessEnv(h, dataDir), WORKER_SHUTDOWN_GRACE_MS: '0' };
}

/** `npm start` against the harness's services: its own KYC/KYB sandboxes, API and worker. */
export async function startStackProcess(h: Harness, env: Record<string, string> = {}): Promise<RoleProcess> {
  const [port, kycPort, kybPort, sdkPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const url = `http://127.0.0.1:${port}`;
  return launch('devstack/start.ts', `${url}/health`, url, (dataDir) => ({
    ...commonEnv(h, dataDir),
    PORT: String(port),
    KYC_SANDBOX_PORT: String(kycPort),
    KYB_SANDBOX_PORT: String(kybPort),
    TEMPORAL_SDK_METRICS_PORT: String(sdkPort),
    ...env,
  }));
}

/** `npm run worker` against the harness's services and vendor sandboxes; `url` is its /metrics. */
export async function startWorkerProcess(h: Harness, env: Record<string, string> = {}): Promise<RoleProcess> {
  const [metricsPort, sdkPort] = await Promise.all([freePort(), freePort()]);
  const url = `http://127.0.0.1:${metricsPort}/metrics`;
  return launch('worker/main.ts', url, url, (dataDir) => ({
    ...commonEnv(h, dataDir),
    KYC_PROVIDER_URL: h.kycSandbox.url,
    KYB_PROVIDER_URL: h.kybSandbox?.url ?? 'http://127.0.0.1:1',
    WORKER_METRICS_PORT: String(metricsPort),
    TEMPORAL_SDK_METRICS_PORT: String(sdkPort),
    ...env,
  }));
}

async function launch(script: string, probeUrl: string, url: string, envFor: (dataDir: string) => Record<string, string>): Promise<RoleProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'onboarding-role-process-'));
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [script], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: envFor(dataDir) });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await untilAnswering(probeUrl, child);
  } catch (error) {
    await stop();
    throw new Error(`${script}: ${(error as Error).message}\n${stderr}`);
  }
  return { url, stop };
}

/** Any HTTP answer will do (a metrics port behind a token answers 401): the process is up and listening. */
async function untilAnswering(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    if (await fetch(url).then(() => true, () => false)) return;
    if (Date.now() > deadline) throw new Error(`did not answer ${url} within ${READY_WITHIN_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
