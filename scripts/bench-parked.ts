/**
 * `npm run bench:parked -- [--count 10000] [--concurrency 8] [--rate 15] [--duration 20] [--warmup 3] [--settle 10]
 *   [--url http://localhost:3000] [--worker-metrics-url http://localhost:9464/metrics] [--metrics-token …]
 *   [--data-dir .data] [--admin-token …] [--tenant-id … --client-id … --client-secret …] [--json]`
 *
 * Issue 12's second goal, against a running stack: what thousands of onboardings parked on their waits cost.
 *   1. registration latency at a fixed offered rate (bench-registration's open loop, route v2) on the stack as it is;
 *   2. `--count` more v2 registrations, `--concurrency` at a time as fast as the stack takes them (503s and 429s
 *      retried), each left parked on the e-mail code it was sent; then `--settle` seconds for their e-mail tasks;
 *   3. the same latency run again.
 * It prints the RSS of the process serving `--url` (`npm start`: API and worker in one) and, with
 * `--worker-metrics-url`, of the worker process behind that port too; the heap used and the worker's sticky cache
 * (workflows held in memory, forced evictions) from the processes' /metrics; RSS per parked onboarding; and p50/p99
 * before and after with the after/before ratio. Registrations go to a CUSTOM tenant with a limit no run reaches
 * (created once through the admin routes and kept in DATA_DIR/bench-parked-tenant.json), or to the tenant given.
 * Exits 1 if a registration failed.
 */
import { runRegistrations, type RegistrationLoadResult } from './bench-registration';
import { fillParked, benchTenant, memorySnapshot, type FillResult, type MemorySnapshot } from './bench-parked-support';
import { pidListeningOn } from './bench-processes';
import { DEFAULT_DATA_DIR, parseFlags } from './bench-support';

function options(argv: string[]) {
  const flags = parseFlags(argv, [
    '--url', '--worker-metrics-url', '--metrics-token', '--count', '--concurrency', '--rate', '--duration', '--warmup', '--settle',
    '--data-dir', '--admin-token', '--tenant-id', '--client-id', '--client-secret',
  ]);
  const workerMetrics = flags.optional('--worker-metrics-url');
  return {
    url: flags.loopbackUrl('--url', 'http://localhost:3000'),
    workerMetricsUrl: workerMetrics === undefined ? undefined : flags.loopbackUrl('--worker-metrics-url', workerMetrics),
    metricsToken: flags.optional('--metrics-token'),
    count: flags.number('--count', 10_000, 0, true),
    concurrency: flags.number('--concurrency', 8, 1, true),
    rate: flags.number('--rate', 15, 0.1),
    duration: flags.number('--duration', 20, 1),
    warmup: flags.number('--warmup', 3, 0),
    settle: flags.number('--settle', 10, 0),
    json: flags.has('--json'),
    dataDir: flags.text('--data-dir', DEFAULT_DATA_DIR),
    adminToken: flags.optional('--admin-token'),
    tenantId: flags.optional('--tenant-id'),
    clientId: flags.optional('--client-id'),
    clientSecret: flags.optional('--client-secret'),
  };
}

const portOf = (url: string) => Number(new URL(url).port || 80);

async function main() {
  const opts = options(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const given = opts.tenantId && opts.clientId && opts.clientSecret;
  const tenant = given ? { tenantId: opts.tenantId!, clientId: opts.clientId!, clientSecret: opts.clientSecret! } : await benchTenant(opts.url, opts.dataDir, opts.adminToken);
  const pids: Record<string, number> = { api: pidListeningOn(portOf(opts.url), 'the API (npm start: API + worker)') };
  if (opts.workerMetricsUrl) pids.worker = pidListeningOn(portOf(opts.workerMetricsUrl), 'the worker (its metrics port)');
  const metricsUrls = [`${opts.url}/metrics`, ...(opts.workerMetricsUrl ? [opts.workerMetricsUrl] : [])];
  const load = () => runRegistrations({ ...opts, ...tenant, route: 'v2' });

  const before = await memorySnapshot(pids, metricsUrls, opts.metricsToken);
  log(`latency before: ${opts.rate}/s for ${opts.duration} s ...`);
  const latencyBefore = await load();
  log(`filling ${opts.count} parked onboardings, ${opts.concurrency} at a time ...`);
  const fill = await fillParked(opts.url, opts.dataDir, tenant, opts.count, opts.concurrency);
  await new Promise((resolve) => setTimeout(resolve, opts.settle * 1000));
  const after = await memorySnapshot(pids, metricsUrls, opts.metricsToken);
  log(`latency after: ${opts.rate}/s for ${opts.duration} s ...`);
  const latencyAfter = await load();

  const result = report(opts, before, after, fill, latencyBefore, latencyAfter);
  if (opts.json) console.log(JSON.stringify(result));
  else print(result);
  process.exitCode = fill.failed || latencyBefore.failed || latencyAfter.failed ? 1 : 0;
}

function report(
  opts: ReturnType<typeof options>,
  before: MemorySnapshot,
  after: MemorySnapshot,
  fill: FillResult,
  latencyBefore: RegistrationLoadResult,
  latencyAfter: RegistrationLoadResult,
) {
  // Every registration between the two snapshots stays parked: the first latency run's and the fill's.
  const parkedBetween = latencyBefore.createdIncludingWarmup + fill.created;
  const totalRss = (s: MemorySnapshot) => Object.values(s.rssMiB).reduce((a, b) => a + b, 0);
  const ratio = (key: 'p50' | 'p99') => latencyAfter.latencyMs[key] / latencyBefore.latencyMs[key];
  return {
    url: opts.url,
    parkedBetweenSnapshots: parkedBetween,
    fill,
    memory: {
      before,
      after,
      rssGrowthMiB: totalRss(after) - totalRss(before),
      rssKiBPerParked: parkedBetween ? ((totalRss(after) - totalRss(before)) * 1024) / parkedBetween : NaN,
    },
    latency: {
      offeredRate: opts.rate,
      durationS: opts.duration,
      before: { ...latencyBefore.latencyMs, throughput: latencyBefore.throughput, statuses: latencyBefore.statuses },
      after: { ...latencyAfter.latencyMs, throughput: latencyAfter.throughput, statuses: latencyAfter.statuses },
      ratio: { p50: ratio('p50'), p99: ratio('p99') },
    },
    firstErrors: [...fill.firstErrors, ...latencyBefore.firstErrors, ...latencyAfter.firstErrors].slice(0, 5),
  };
}

function print(r: ReturnType<typeof report>) {
  const mib = (value: number | undefined) => (value === undefined ? '     -' : value.toFixed(0).padStart(6));
  const memoryLine = (label: string, s: MemorySnapshot) =>
    `  ${label}  RSS ${Object.entries(s.rssMiB).map(([name, value]) => `${name} ${mib(value)} MiB`).join(', ')}   heap used ${mib(s.heapUsedMiB)} MiB   ` +
    `sticky cache ${s.stickyCacheSize ?? '-'} workflows (${s.stickyCacheEvictions ?? '-'} forced evictions)`;
  const ms = (value: number) => value.toFixed(1).padStart(7);
  const l = r.latency;
  console.log(`Parked onboardings  ${r.url}
  fill         ${r.fill.created} of ${r.fill.requested} parked in ${r.fill.wallS.toFixed(0)} s (${(r.fill.created / r.fill.wallS).toFixed(1)}/s), ${r.fill.retried} retried (503/429), ${r.fill.failed} failed
${memoryLine('before', r.memory.before)}
${memoryLine('after ', r.memory.after)}
  growth       ${r.memory.rssGrowthMiB.toFixed(0)} MiB RSS over ${r.parkedBetweenSnapshots} parked: ${r.memory.rssKiBPerParked.toFixed(1)} KiB each
  latency ms   offered ${l.offeredRate}/s for ${l.durationS} s, route v2
    before     p50 ${ms(l.before.p50)}   p99 ${ms(l.before.p99)}   ${l.before.throughput.toFixed(1)} 201/s
    after      p50 ${ms(l.after.p50)}   p99 ${ms(l.after.p99)}   ${l.after.throughput.toFixed(1)} 201/s
    after/before  p50 ${l.ratio.p50.toFixed(2)}   p99 ${l.ratio.p99.toFixed(2)}`);
  if (r.firstErrors.length) console.log(`  FAILED; first errors:\n${r.firstErrors.map((e) => `    ${e}`).join('\n')}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ''}` : error);
  process.exitCode = 1;
});
