/**
 * `npm run bench:baseline -- [--route v2|v2.1] [--rounds 3] [--rate 15] [--duration 20] [--warmup 3] [--settle 3] [--json]
 *   [--url http://localhost:3000] [--temporal localhost:7233] [--database-url postgres://…@127.0.0.1:5433/postgres]
 *   [--smtp-port 1025] [--baseline-url http://localhost:3100 | --baseline-port 3100 --codec encrypted|none]
 *   [--data-dir .data] [--tenant-id … --client-id … --client-secret …]`
 *
 * A registration route of a running `npm start` against the minimal Temporal service of scripts/baseline/, on the
 * same Temporal server and PostgreSQL server, in alternating rounds (project then baseline, baseline then project,
 * …) of bench-registration's open-loop load, so that the machine's drift and the growth of both stores weigh on both
 * alike. `--route v2` (the default) is seed 004's `POST /v2/customers/individual`, the route issue 12's figures were
 * measured on; `--route v2.1` is `POST /api/v2.1/customer/individual/registration` (with a password, hashed with
 * argon2id by the project only). Both sides get the same route and the same bodies (scripts/bench-routes.ts).
 * Without --baseline-url it starts the baseline itself against --temporal and --database-url, and stops it.
 * Per round and as geometric means over rounds: 201/s at the offered rate, p50/p90/p99, the CPU milliseconds per
 * registration of the Temporal server, the Node process under test, PostgreSQL (postmaster and backends) and the
 * mail catcher, the Node process's RSS before and after, and the project/baseline ratio of each. Processes are found
 * by the port they listen on (scripts/bench-processes.ts). Capacity: an offered rate above both capacities
 * (`--rate 50 --duration 30`); the 201/s of each round, in order, show whether capacity declines as onboardings
 * accumulate.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runRegistrations, type RegistrationLoadResult } from './bench-registration';
import { REGISTRATION_ROUTES, registrationRoute } from './bench-routes';
import { DEFAULT_DATA_DIR, parseFlags } from './bench-support';
import { cpuSeconds, pidListeningOn, pidsListeningOn, rssMiB } from './bench-processes';
import { printPair, printSummary, summarize, type Side, type SideResult } from './bench-vs-baseline-report';

const PROJECT_ROOT = join(__dirname, '..');

function options(argv: string[]) {
  const flags = parseFlags(argv, [
    '--route', '--url', '--baseline-url', '--baseline-port', '--codec', '--temporal', '--database-url', '--smtp-port', '--rounds', '--rate',
    '--duration', '--warmup', '--settle', '--data-dir', '--tenant-id', '--client-id', '--client-secret',
  ]);
  const temporal = flags.text('--temporal', 'localhost:7233');
  const databaseUrl = flags.text('--database-url', 'postgres://postgres:postgres@127.0.0.1:5433/postgres');
  const baselineUrl = flags.optional('--baseline-url');
  return {
    route: registrationRoute(flags.text('--route', 'v2')),
    url: flags.loopbackUrl('--url', 'http://localhost:3000'),
    baselineUrl: baselineUrl === undefined ? undefined : flags.loopbackUrl('--baseline-url', baselineUrl),
    baselinePort: flags.number('--baseline-port', 3100, 1, true),
    codec: flags.text('--codec', 'encrypted'),
    temporal,
    temporalPort: portOf(`http://${temporal}`, '--temporal'),
    databaseUrl,
    postgresPort: portOf(databaseUrl, '--database-url'),
    smtpPort: flags.number('--smtp-port', 1025, 1, true),
    rounds: flags.number('--rounds', 3, 1, true),
    rate: flags.number('--rate', 15, 0.1),
    duration: flags.number('--duration', 20, 1),
    warmup: flags.number('--warmup', 3, 0),
    settle: flags.number('--settle', 3, 0),
    json: flags.has('--json'),
    dataDir: flags.text('--data-dir', DEFAULT_DATA_DIR),
    tenantId: flags.optional('--tenant-id'),
    clientId: flags.optional('--client-id'),
    clientSecret: flags.optional('--client-secret'),
  };
}
type Options = ReturnType<typeof options>;

function portOf(url: string, flag: string): number {
  const parsed = new URL(url);
  const port = Number(parsed.port || (parsed.protocol.startsWith('postgres') ? 5432 : 80));
  if (!Number.isInteger(port) || port < 1) throw new Error(`${flag}: no port in ${url}`);
  if (!['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname)) throw new Error(`Refusing a non-loopback ${flag}: ${url}`);
  return port;
}

/** The processes whose CPU a round is charged with; the Node one is the system under test. */
interface Pids {
  temporal: number;
  postgres: number;
  mail?: number;
  node: number;
}

function cpuNow(pids: Pids) {
  return {
    temporal: cpuSeconds(pids.temporal),
    node: cpuSeconds(pids.node),
    postgres: cpuSeconds(pids.postgres, true), // postmaster and its backends (one per connection)
    mail: pids.mail === undefined ? 0 : cpuSeconds(pids.mail),
  };
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

async function measure(opts: Options, side: Side, url: string, pids: Pids): Promise<SideResult> {
  const rssBefore = rssMiB(pids.node);
  const before = cpuNow(pids);
  const loadBefore = load();
  const run: RegistrationLoadResult = await runRegistrations(
    { url, route: opts.route, rate: opts.rate, duration: opts.duration, warmup: opts.warmup, json: true, dataDir: opts.dataDir, tenantId: opts.tenantId, clientId: opts.clientId, clientSecret: opts.clientSecret },
    // The baseline has no tenants: it is sent the same bodies without a token.
    side === 'baseline' ? { 'content-type': 'application/json' } : undefined,
  );
  // Work a registration sets off after its answer (the project's e-mail, the workflow's next tasks) is its cost too.
  await sleep(opts.settle * 1000);
  const after = cpuNow(pids);
  const n = run.createdIncludingWarmup;
  const perRegistration = (key: keyof typeof after) => (n ? ((after[key] - before[key]) * 1000) / n : NaN);
  return {
    side,
    throughput: run.throughput,
    latencyMs: run.latencyMs,
    statuses: run.statuses,
    created: n,
    cpuMsPerRegistration: { temporal: perRegistration('temporal'), node: perRegistration('node'), postgres: perRegistration('postgres'), mail: perRegistration('mail') },
    rssMiB: { before: rssBefore, after: rssMiB(pids.node) },
    loadAverage: { before: loadBefore, after: load() },
    firstErrors: run.firstErrors,
  };
}

async function startBaseline(opts: Options): Promise<{ url: string; child: ChildProcess }> {
  const url = `http://localhost:${opts.baselinePort}`;
  const args = ['--import', 'tsx', join(__dirname, 'baseline', 'main.ts'), '--port', String(opts.baselinePort), '--temporal', opts.temporal, '--database-url', opts.databaseUrl, '--codec', opts.codec];
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

async function stopBaseline(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(force);
}

async function main() {
  const opts = options(process.argv.slice(2));
  const started = opts.baselineUrl ? undefined : await startBaseline(opts);
  try {
    const baselineUrl = opts.baselineUrl ?? started!.url;
    const health = (await (await fetch(`${baselineUrl}/health`)).json()) as { codec?: string; routes?: string[] };
    const path = REGISTRATION_ROUTES[opts.route].path;
    // A baseline started from an older tree answers the v2.1 route only: a 404 on every request would say less.
    if (!health.routes?.includes(path)) throw new Error(`the baseline at ${baselineUrl} does not answer ${path} (it lists ${health.routes?.join(', ') ?? 'no routes'})`);
    const mail = pidsListeningOn(opts.smtpPort)[0];
    const shared = { temporal: pidListeningOn(opts.temporalPort, 'Temporal server'), postgres: pidListeningOn(opts.postgresPort, 'PostgreSQL'), mail };
    const pids: Record<Side, Pids> = {
      project: { ...shared, node: pidListeningOn(portOf(opts.url, '--url'), 'npm start (API + worker)') },
      baseline: { ...shared, node: pidListeningOn(portOf(baselineUrl, '--baseline-url'), 'baseline') },
    };
    const urls: Record<Side, string> = { project: opts.url, baseline: baselineUrl };
    const loadBefore = load();
    if (!opts.json) console.log(`route ${opts.route}: POST ${path} on both sides; project ${opts.url}, baseline ${baselineUrl} (codec ${health.codec ?? 'unknown'})`);
    const pairs: Array<Record<Side, SideResult> & { order: Side[] }> = [];
    for (let round = 0; round < opts.rounds; round++) {
      const order: Side[] = round % 2 === 0 ? ['project', 'baseline'] : ['baseline', 'project'];
      const results = {} as Record<Side, SideResult>;
      for (const side of order) results[side] = await measure(opts, side, urls[side], pids[side]);
      pairs.push({ ...results, order });
      if (!opts.json) printPair(round + 1, pairs.at(-1)!);
    }
    const summary = summarize(pairs);
    const report = {
      route: opts.route,
      path,
      offeredRate: opts.rate,
      durationS: opts.duration,
      warmupS: opts.warmup,
      settleS: opts.settle,
      baselineCodec: health.codec ?? 'unknown',
      pids,
      loadAverage: { before: loadBefore, after: load() },
      pairs,
      summary,
    };
    if (opts.json) console.log(JSON.stringify(report));
    else printSummary(report);
    // Shedding (503) past capacity is expected; a side that registered nothing at all is broken.
    process.exitCode = pairs.some((p) => p.project.created === 0 || p.baseline.created === 0) ? 1 : 0;
  } finally {
    if (started) await stopBaseline(started.child);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ''}` : error);
  process.exitCode = 1;
});
