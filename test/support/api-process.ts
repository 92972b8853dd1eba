/**
 * The API as production runs it: `tsx api/main.ts` in its own operating-system process, configured only through
 * its environment, on a harness's database and Temporal. For what must hold across replicas (shared counters).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Harness } from './harness';
import { freePort } from './ports';

export interface ApiProcess {
  url: string;
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

/** What every process of the product gets to run on a harness's services: its database, Temporal, mail and secrets. */
export function harnessProcessEnv(h: Harness, dataDir: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    DATABASE_URL: h.config.DATABASE_URL!,
    TEMPORAL_ADDRESS: h.infra.temporalAddress,
    TEMPORAL_TASK_QUEUE: h.config.TEMPORAL_TASK_QUEUE,
    SMTP_URL: h.infra.smtpUrl,
    PLATFORM_ADMIN_TOKEN: h.secrets.platformAdminToken,
    JWT_SECRET: h.secrets.jwtSecret,
    PAYLOAD_ENCRYPTION_KEY: h.secrets.payloadKey,
    PAYLOAD_ENCRYPTION_KEY_ID: h.secrets.payloadKeyId,
    KYC_WEBHOOK_SECRET: h.secrets.kycWebhookSecret,
    KYB_WEBHOOK_SECRET: h.secrets.kybWebhookSecret,
    DATA_DIR: dataDir,
    SHUTDOWN_DRAIN_DELAY_MS: '0',
  };
}

export async function startApiProcess(h: Harness, env: Record<string, string> = {}, readyWithinMs = 90_000): Promise<ApiProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'onboarding-api-process-'));
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['api/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...harnessProcessEnv(h, dataDir),
      PORT: String(port),
      ...env,
    },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await untilHealthy(url, child, readyWithinMs);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return { url, stop };
}

async function untilHealthy(url: string, child: ChildProcess, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API process exited with ${child.exitCode}`);
    const healthy = await fetch(`${url}/health`).then((res) => res.ok, () => false);
    if (healthy) return;
    if (Date.now() > deadline) throw new Error(`the API process did not answer /health within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
