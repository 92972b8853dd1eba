/**
 * `npm run bench -- [--route v2.1|v2] [--rate 5] [--duration 15] [--warmup 3] [--url http://localhost:3000] [--idempotency-key PREFIX] [--json]`
 *
 * Open-loop, fixed-rate load on the hot path (individual registration) against a running `npm start` stack.
 * `--route v2.1` (the default) registers through `POST /api/v2.1/customer/individual/registration` (with a password,
 * hashed with argon2id); `--route v2` through seed 004's `POST /v2/customers/individual` (the whole profile, no
 * password): scripts/bench-routes.ts.
 * Request i is sent at start + i/rate whether or not earlier ones have answered, and its latency is measured
 * from that scheduled instant, so a slow server cannot hide behind a slow client (no coordinated omission).
 * Credentials default to the demo tenant in .data/demo-tenant.json; override with --tenant-id, --client-id,
 * --client-secret (and --data-dir). `--idempotency-key PREFIX` sends a fresh Idempotency-Key on every request, to
 * measure what the mechanism adds. Exits 1 if any measured or warm-up request did not get a 201.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { REGISTRATION_ROUTES, registrationRoute, type RegistrationRoute } from './bench-routes';
import { DEFAULT_DATA_DIR, parseFlags, tenantHeaders } from './bench-support';

const STRAGGLER_WAIT_MS = 30_000;

export interface RegistrationLoadOptions {
  url: string;
  route: RegistrationRoute;
  rate: number;
  duration: number;
  warmup: number;
  json: boolean;
  dataDir: string;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  idempotencyKey?: string;
}

function parseArgs(argv: string[]): RegistrationLoadOptions {
  const flags = parseFlags(argv, ['--url', '--route', '--rate', '--duration', '--warmup', '--data-dir', '--tenant-id', '--client-id', '--client-secret', '--idempotency-key']);
  return {
    url: flags.loopbackUrl('--url', 'http://localhost:3000'),
    route: registrationRoute(flags.text('--route', 'v2.1')),
    rate: flags.number('--rate', 5, 0.1),
    duration: flags.number('--duration', 15, 1),
    warmup: flags.number('--warmup', 3, 0),
    json: flags.has('--json'),
    dataDir: flags.text('--data-dir', DEFAULT_DATA_DIR),
    tenantId: flags.optional('--tenant-id'),
    clientId: flags.optional('--client-id'),
    clientSecret: flags.optional('--client-secret'),
    idempotencyKey: flags.optional('--idempotency-key'),
  };
}

interface Sample {
  warmup: boolean;
  status: string; // HTTP status code, or 'network' / 'timeout'
  latencyMs?: number; // from the scheduled send time to the end of the response body
  error?: string;
}

/**
 * One open-loop run against `opts.url`. `given` headers replace the tenant's token (a server that takes none, like
 * the baseline of scripts/baseline/); by default the token is fetched from the stack first.
 */
export async function runRegistrations(opts: RegistrationLoadOptions, given?: Record<string, string>) {
  const headers = given ?? (await tenantHeaders(opts.url, opts.dataDir, opts));
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const total = Math.round((opts.warmup + opts.duration) * opts.rate);
  const warmupCount = Math.round(opts.warmup * opts.rate);
  const abort = new AbortController();
  const samples: Promise<Sample>[] = [];
  let maxSendLagMs = 0;
  let lastEnd = 0n;

  const { path, body: bodyFor } = REGISTRATION_ROUTES[opts.route];
  const send = async (i: number, scheduled: bigint): Promise<Sample> => {
    const warmup = i < warmupCount;
    const body = bodyFor(`bench.${runId}.${i}@example.com`); // runId is lowercase: v2 refuses upper-case e-mails
    try {
      const requestHeaders = opts.idempotencyKey ? { ...headers, 'Idempotency-Key': `${opts.idempotencyKey}-${runId}-${i}` } : headers;
      const response = await fetch(`${opts.url}${path}`, { method: 'POST', headers: requestHeaders, body: JSON.stringify(body), signal: abort.signal });
      const text = await response.text();
      const end = process.hrtime.bigint();
      if (end > lastEnd) lastEnd = end;
      const latencyMs = Number(end - scheduled) / 1e6;
      return { warmup, status: String(response.status), latencyMs, error: response.status === 201 ? undefined : text.slice(0, 300) };
    } catch (error) {
      const status = abort.signal.aborted ? 'timeout' : 'network';
      return { warmup, status, error: error instanceof Error ? `${error.message} ${String(error.cause ?? '')}`.trim() : String(error) };
    }
  };

  const start = process.hrtime.bigint();
  const intervalNs = 1e9 / opts.rate;
  for (let i = 0; i < total; i++) {
    const scheduled = start + BigInt(Math.round(i * intervalNs));
    const waitMs = Number(scheduled - process.hrtime.bigint()) / 1e6;
    if (waitMs > 0) await sleep(waitMs);
    maxSendLagMs = Math.max(maxSendLagMs, Number(process.hrtime.bigint() - scheduled) / 1e6);
    samples.push(send(i, scheduled));
  }
  const deadline = setTimeout(() => abort.abort(), STRAGGLER_WAIT_MS);
  const all = await Promise.all(samples);
  clearTimeout(deadline);

  const measured = all.filter((s) => !s.warmup);
  const statuses: Record<string, number> = {};
  for (const s of measured) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  const latencies = measured.flatMap((s) => (s.latencyMs === undefined ? [] : [s.latencyMs])).sort((a, b) => a - b);
  const pct = (p: number) => (latencies.length ? latencies[Math.max(0, Math.ceil((p / 100) * latencies.length) - 1)] : NaN);
  const windowStart = start + BigInt(Math.round(warmupCount * intervalNs));
  const windowS = Number(lastEnd - windowStart) / 1e9;
  const failures = all.filter((s) => s.status !== '201');
  const errorKinds = new Map<string, string>(); // first body seen per status, warm-up included
  for (const s of failures) if (!errorKinds.has(s.status)) errorKinds.set(s.status, `${s.status}${s.warmup ? ' (warm-up)' : ''}: ${s.error}`);
  return {
    url: opts.url,
    route: opts.route,
    path,
    offeredRate: opts.rate,
    durationS: opts.duration,
    warmupS: opts.warmup,
    requests: measured.length,
    /** 201s over the whole run, warm-up included: what the server did, for costs per registration. */
    createdIncludingWarmup: all.filter((s) => s.status === '201').length,
    warmupDiscarded: all.length - measured.length,
    throughput: windowS > 0 ? (statuses['201'] ?? 0) / windowS : 0,
    statuses,
    responses: latencies.length,
    latencyMs: { p50: pct(50), p90: pct(90), p99: pct(99), max: latencies.at(-1) ?? NaN },
    maxSendLagMs,
    failed: failures.length,
    firstErrors: [...errorKinds.values()].slice(0, 5),
  };
}

export type RegistrationLoadResult = Awaited<ReturnType<typeof runRegistrations>>;

function printTable(r: RegistrationLoadResult) {
  const ms = (value: number) => value.toFixed(1).padStart(7);
  const statuses = Object.entries(r.statuses).map(([code, n]) => `${code}: ${n}`).join('  ');
  console.log(`Registration benchmark  ${r.url}${r.path} (route ${r.route})  offered ${r.offeredRate}/s for ${r.durationS} s (+${r.warmupS} s warm-up)
  requests     ${r.requests} measured, ${r.warmupDiscarded} warm-up discarded
  throughput   ${r.throughput.toFixed(1)} req/s (201s over the measured window)
  status       ${statuses || '-'}
  latency ms   p50 ${ms(r.latencyMs.p50)}   p90 ${ms(r.latencyMs.p90)}   p99 ${ms(r.latencyMs.p99)}   max ${ms(r.latencyMs.max)}   (${r.responses} responses, timeouts excluded)
  client lag   ${r.maxSendLagMs.toFixed(1)} ms max behind schedule`);
  if (r.failed) console.log(`  FAILED       ${r.failed} request(s) incl. warm-up; first error per status:\n${r.firstErrors.map((e) => `    ${e}`).join('\n')}`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const result = await runRegistrations(opts);
  if (opts.json) console.log(JSON.stringify(result));
  else printTable(result);
  process.exitCode = result.failed ? 1 : 0;
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ''}` : error);
    process.exitCode = 1;
  });
}
