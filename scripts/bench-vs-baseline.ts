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
import { runRegistrations, type RegistrationLoadResult } from './bench-registration';
import { REGISTRATION_ROUTES, registrationRoute } from './bench-routes';
import { DEFAULT_DATA_DIR, parseFlags } from './bench-support';
import { printPair, printSummary, summarize, type Side, type SideResult } from './bench-vs-baseline-report';
import {
  BASELINE_FLAGS,
  baselineHealth,
  baselineOptions,
  loadAverage,
  measured,
  pidsOfSides,
  startBaseline,
  stopBaseline,
  type Pids,
} from './bench-vs-baseline-support';

function options(argv: string[]) {
  const flags = parseFlags(argv, [...BASELINE_FLAGS, '--route', '--rate', '--duration', '--warmup', '--tenant-id', '--client-id', '--client-secret']);
  return {
    ...baselineOptions(flags, { rounds: 3, settle: 3 }),
    route: registrationRoute(flags.text('--route', 'v2')),
    rate: flags.number('--rate', 15, 0.1),
    duration: flags.number('--duration', 20, 1),
    warmup: flags.number('--warmup', 3, 0),
    dataDir: flags.text('--data-dir', DEFAULT_DATA_DIR),
    tenantId: flags.optional('--tenant-id'),
    clientId: flags.optional('--client-id'),
    clientSecret: flags.optional('--client-secret'),
  };
}
type Options = ReturnType<typeof options>;

async function measure(opts: Options, side: Side, url: string, pids: Pids): Promise<SideResult> {
  const { result: run, ...costs } = await measured(
    pids,
    opts.settle,
    (): Promise<RegistrationLoadResult> =>
      runRegistrations(
        { url, route: opts.route, rate: opts.rate, duration: opts.duration, warmup: opts.warmup, json: true, dataDir: opts.dataDir, tenantId: opts.tenantId, clientId: opts.clientId, clientSecret: opts.clientSecret },
        // The baseline has no tenants: it is sent the same bodies without a token.
        side === 'baseline' ? { 'content-type': 'application/json' } : undefined,
      ),
    (run) => run.createdIncludingWarmup,
  );
  return { side, throughput: run.throughput, latencyMs: run.latencyMs, statuses: run.statuses, created: run.createdIncludingWarmup, ...costs, firstErrors: run.firstErrors };
}

async function main() {
  const opts = options(process.argv.slice(2));
  const started = opts.baselineUrl ? undefined : await startBaseline(opts);
  try {
    const baselineUrl = opts.baselineUrl ?? started!.url;
    const path = REGISTRATION_ROUTES[opts.route].path;
    const health = await baselineHealth(baselineUrl, 'registration', path);
    const pids = pidsOfSides(opts, baselineUrl);
    const urls: Record<Side, string> = { project: opts.url, baseline: baselineUrl };
    const loadBefore = loadAverage();
    if (!opts.json) console.log(`route ${opts.route}: POST ${path} on both sides; project ${opts.url}, baseline ${baselineUrl} (codec ${health.codec})`);
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
      baselineCodec: health.codec,
      pids,
      loadAverage: { before: loadBefore, after: loadAverage() },
      pairs,
      summary,
    };
    if (opts.json) console.log(JSON.stringify(report));
    else {
      const title = `Project vs baseline on route ${opts.route} (POST ${path}), codec ${health.codec}: ${summary.rounds} rounds at an offered ${opts.rate}/s for ${opts.duration} s (+${opts.warmup} s warm-up)`;
      printSummary(title, report);
    }
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
