/**
 * The lab's own processes (API, worker, KYC sandbox), each one Node process (`node --import tsx`, not the tsx
 * CLI, whose SIGKILL would leave its Node child running), so a crash kills exactly what a dead machine loses;
 * and PostgreSQL's postmaster, killed the same way.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECT_ROOT } from '../../devstack/paths';
import type { RunningPostgres } from '../../devstack/postgres';
import { spawnManaged, waitFor, type Managed } from '../../devstack/processes';

export interface Role {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** SIGKILL: no drain, no goodbye. */
  crash(): Promise<void>;
}

export interface RoleSpec {
  name: string;
  script: string;
  args?: string[];
  env: Record<string, string>;
  logFile: string;
  /** Ready once this holds; `output` is what the process wrote since this start. */
  ready(output: () => string): Promise<boolean>;
  startTimeoutMs?: number;
}

export function nodeRole(spec: RoleSpec): Role {
  let current: Managed | undefined;
  return {
    async start() {
      const earlier = existsSync(spec.logFile) ? readFileSync(spec.logFile, 'utf8').length : 0;
      const started = spawnManaged(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, spec.script), ...(spec.args ?? [])], spec.logFile, {
        env: spec.env,
        cwd: PROJECT_ROOT,
      });
      current = started;
      const output = () => readFileSync(spec.logFile, 'utf8').slice(earlier);
      await waitFor(spec.name, () => spec.ready(output), spec.startTimeoutMs ?? 120_000, () =>
        started.child.exitCode !== null ? started.tail() : undefined,
      );
    },
    stop: async () => current?.stop(),
    crash: async () => current?.crash(),
  };
}

/** SIGKILL to the postmaster (its pid is the first line of postmaster.pid); waits until it is gone. */
export async function crashPostgres(dataDir: string): Promise<void> {
  const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(50);
}

/**
 * Starts PostgreSQL again after a crash; it replays its WAL. Backends of the killed postmaster take a moment to
 * notice and exit, and until then the server refuses to start on their shared memory, so this tries again.
 */
export async function restartPostgres(postgres: RunningPostgres, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await postgres.start();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(500);
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
