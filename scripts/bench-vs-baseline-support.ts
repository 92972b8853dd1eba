/**
 * What the project-vs-baseline benchmarks share (scripts/bench-vs-baseline.ts for registrations,
 * scripts/bench-vs-baseline-journey.ts for whole onboardings): the flags naming the stack and the baseline, starting
 * and stopping the baseline (scripts/baseline/main.ts) when none is given, the processes each side is charged with
 * (found by the port they listen on), and one measured run's CPU per component, RSS and load average.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Flags } from './bench-support';
import { cpuSeconds, pidListeningOn, pidsListeningOn, rssMiB } from './bench-processes';
import type { Side } from './bench-vs-baseline-report';

const PROJECT_ROOT = join(__dirname, '..');

/** The flags both benchmarks take for the stack under test and the baseline beside it. */
export const BASELINE_FLAGS = ['--url', '--baseline-url', '--baseline-port', '--codec', '--temporal', '--database-url', '--smtp-port', '--rounds', '--settle', '--data-dir'];

export function baselineOptions(flags: Flags, defaults: { rounds: number; settle: number }) {
  const temporal = flags.text('--temporal', 'localhost:7233');
  const databaseUrl = flags.text('--database-url', 'postgres://postgres:postgres@127.0.0.1:5433/postgres');
  const baselineUrl = flags.optional('--baseline-url');
  return {
    url: flags.loopbackUrl('--url', 'http://localhost:3000'),
    baselineUrl: baselineUrl === undefined ? undefined : flags.loopbackUrl('--baseline-url', baselineUrl),
    baselinePort: flags.number('--baseline-port', 3100, 1, true),
    codec: flags.text('--codec', 'encrypted'),
    temporal,
    temporalPort: portOf(`http://${temporal}`, '--temporal'),
    databaseUrl,
    postgresPort: portOf(databaseUrl, '--database-url'),
    smtpPort: flags.number('--smtp-port', 1025, 1, true),
    rounds: flags.number('--rounds', defaults.rounds, 1, true),
    settle: flags.number('--settle', defaults.settle, 0),
    json: flags.has('--json'),
  };
}
export type BaselineOptions = ReturnType<typeof baselineOptions>;

export function portOf(url: string, flag: string): number {
  const parsed = new URL(url);
  const port = Number(parsed.port || (parsed.protocol.startsWith('postgres') ? 5432 : 80));
  if (!Number.isInteger(port) || port < 1) throw new Error(`${flag}: no port in ${url}`);
  if (!['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname)) throw new Error(`Refusing a non-loopback ${flag}: ${url}`);
  return port;
}

/** The processes whose CPU a round is charged with; the Node one is the system under test. */
export interface Pids {
  temporal: number;
  postgres: number;
  mail?: number;
  node: number;
}

/** Each side's processes: the shared Temporal, PostgreSQL and mail catcher, and its own Node process. */
export function pidsOfSides(opts: BaselineOptions, baselineUrl: string): Record<Side, Pids> {
  const mail = pidsListeningOn(opts.smtpPort)[0];
  const shared = { temporal: pidListeningOn(opts.temporalPort, 'Temporal server'), postgres: pidListeningOn(opts.postgresPort, 'PostgreSQL'), mail };
  return {
    project: { ...shared, node: pidListeningOn(portOf(opts.url, '--url'), 'npm start (API + worker)') },
    baseline: { ...shared, node: pidListeningOn(portOf(baselineUrl, '--baseline-url'), 'baseline') },
  };
}

function cpuNow(pids: Pids) {
  return {
    temporal: cpuSeconds(pids.temporal),
    node: cpuSeconds(pids.node),
    postgres: cpuSeconds(pids.postgres, true), // postmaster and its backends (one per connection)
    mail: pids.mail === undefined ? 0 : cpuSeconds(pids.mail),
  };
}

export const loadAverage = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/**
 * Runs `work`, waits `settleS` (work an item sets off after its answer, e-mails and workflow tasks, is its cost
 * too), and returns its result with the CPU of each component divided by the items `done` says it did.
 */
export async function measured<T>(pids: Pids, settleS: number, work: () => Promise<T>, done: (result: T) => number) {
  const rssBefore = rssMiB(pids.node);
  const before = cpuNow(pids);
  const loadBefore = loadAverage();
  const result = await work();
  await sleep(settleS * 1000);
  const after = cpuNow(pids);
  const n = done(result);
  const per = (key: keyof typeof after) => (n ? ((after[key] - before[key]) * 1000) / n : NaN);
  return {
    result,
    cpuMsPerItem: { temporal: per('temporal'), node: per('node'), postgres: per('postgres'), mail: per('mail') },
    rssMiB: { before: rssBefore, after: rssMiB(pids.node) },
    loadAverage: { before: loadBefore, after: loadAverage() },
  };
}

/** Starts scripts/baseline/main.ts on --baseline-port with `extraArgs` (e.g. `--flow journey`), once it serves. */
export async function startBaseline(
  opts: Pick<BaselineOptions, 'baselinePort' | 'temporal' | 'databaseUrl' | 'codec'>,
  extraArgs: string[] = [],
): Promise<{ url: string; child: ChildProcess }> {
  const url = `http://localhost:${opts.baselinePort}`;
  const args = ['--import', 'tsx', join(__dirname, 'baseline', 'main.ts'), '--port', String(opts.baselinePort), '--temporal', opts.temporal, '--database-url', opts.databaseUrl, '--codec', opts.codec, ...extraArgs];
  // One Node process (no tsx wrapper), its output on our stderr so that --json keeps stdout clean.
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['ignore', process.stderr, process.stderr] });
  process.on('exit', () => child.kill('SIGKILL'));
  const deadline = Date.now() + 180_000; // bundling the workflow takes a while on a loaded machine
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the baseline exited with code ${child.exitCode} before serving`);
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) return { url, child };
    if (Date.now() > deadline) throw new Error('the baseline did not serve within 180 s');
    await sleep(500);
  }
}

export async function stopBaseline(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(force);
}

/** What the baseline says of itself; refuses one that does not serve `flow` or lacks `path`. */
export async function baselineHealth(baselineUrl: string, flow: 'registration' | 'journey', path: string): Promise<{ codec: string }> {
  const health = (await (await fetch(`${baselineUrl}/health`)).json()) as { codec?: string; flow?: string; routes?: string[] };
  // A baseline started from an older tree answers registrations only, and lists no flow.
  if ((health.flow ?? 'registration') !== flow) throw new Error(`the baseline at ${baselineUrl} serves the ${health.flow} flow, not ${flow} (start it with --flow ${flow})`);
  if (!health.routes?.includes(path)) throw new Error(`the baseline at ${baselineUrl} does not answer ${path} (it lists ${health.routes?.join(', ') ?? 'no routes'})`);
  return { codec: health.codec ?? 'unknown' };
}
