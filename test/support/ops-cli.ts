/**
 * The ops CLI as an operator runs it: `tsx scripts/ops/main.ts …` in its own process, configured only through the
 * environment the worker gets (a harness's database, Temporal, task queue and payload key).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harnessProcessEnv } from './api-process';
import type { Harness } from './harness';

const ROOT = join(__dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runOpsCli(h: Harness, args: string[]): Promise<CliResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'onboarding-ops-cli-'));
  try {
    return await new Promise<CliResult>((resolve) => {
      execFile(
        join(ROOT, 'node_modules', '.bin', 'tsx'),
        ['scripts/ops/main.ts', ...args],
        {
          cwd: ROOT,
          timeout: 60_000,
          env: harnessProcessEnv(h, dataDir),
        },
        (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
