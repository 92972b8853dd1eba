/**
 * The closed loop both onboarding benchmarks run, and what they report: each of `concurrency` workers takes
 * onboardings one after another until `count` have been tried (or the overall timeout aborts), then throughput,
 * whole-onboarding percentiles and per-step p50/p95/mean over the onboardings that reached each step.
 */
import { performance } from 'node:perf_hooks';
import type { Outcome } from './bench-journey';
import { DEFAULT_DATA_DIR, parseFlags } from './bench-support';

export interface LoopOptions {
  concurrency: number;
  count: number;
  timeoutS: number;
}

/** Nearest-rank percentile of ascending `sorted`; NaN when empty. */
export function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
}

export async function closedLoop<Step extends string>(
  opts: LoopOptions,
  onboardOne: (index: number, overall: AbortSignal) => Promise<Outcome<Step>>,
  overall = new AbortController(),
) {
  const deadline = setTimeout(() => overall.abort(), opts.timeoutS * 1000);
  const outcomes: Outcome<Step>[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < opts.count && !overall.signal.aborted) outcomes.push(await onboardOne(next++, overall.signal));
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const wallS = (performance.now() - started) / 1000;
  clearTimeout(deadline);
  return { outcomes, wallS, timedOut: overall.signal.aborted };
}

export interface StepFigures {
  p50: number;
  p95: number;
  mean: number;
  n: number;
}

export function summarize<Step extends string>(opts: LoopOptions, steps: readonly Step[], run: Awaited<ReturnType<typeof closedLoop<Step>>>) {
  const { outcomes, wallS, timedOut } = run;
  const done = outcomes.filter((o) => o.ok);
  const latencies = done.map((o) => o.totalMs).sort((a, b) => a - b);
  const perStepMs = Object.fromEntries(
    steps.map((step) => {
      const values = outcomes.flatMap((o) => (o.steps[step] === undefined ? [] : [o.steps[step]!])).sort((a, b) => a - b);
      const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
      return [step, { p50: percentile(values, 50), p95: percentile(values, 95), mean, n: values.length }];
    }),
  ) as Record<Step, StepFigures>;
  return {
    concurrency: opts.concurrency,
    requested: opts.count,
    attempted: outcomes.length,
    completed: done.length,
    failed: outcomes.length - done.length,
    notStarted: opts.count - outcomes.length,
    timedOut,
    wallS,
    perSecond: done.length / wallS,
    latencyMs: { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN },
    perStepMs,
    failuresByStep: countBy(outcomes.filter((o) => !o.ok).map((o) => String(o.failedStep))),
    firstErrors: [...new Set(outcomes.filter((o) => !o.ok).map((o) => `${o.failedStep}: ${o.error}`))].slice(0, 5),
    completedIds: done.flatMap((o) => (o.customerId ? [o.customerId] : [])),
  };
}

export type Summary<Step extends string> = ReturnType<typeof summarize<Step>>;

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

export function printSummary<Step extends string>(title: string, unit: string, labels: Record<Step, string>, r: Omit<Summary<Step>, 'completedIds'>) {
  const ms = (value: number) => (Number.isNaN(value) ? '     -' : value.toFixed(0).padStart(6));
  const failures = Object.entries(r.failuresByStep).map(([step, n]) => `${step} ${n}`).join(', ');
  console.log(`${title}  concurrency ${r.concurrency}, ${r.requested} ${unit}s (closed loop)
  completed    ${r.completed}   failed ${r.failed}${failures ? ` (${failures})` : ''}${r.notStarted ? `   not started ${r.notStarted}` : ''}${r.timedOut ? '   (overall timeout hit)' : ''}
  wall time    ${r.wallS.toFixed(2)} s
  throughput   ${r.perSecond.toFixed(3)} ${unit}s/s
  latency ms   p50 ${ms(r.latencyMs.p50)}   p95 ${ms(r.latencyMs.p95)}   p99 ${ms(r.latencyMs.p99)}   max ${ms(r.latencyMs.max)}   (whole ${unit})
  per step (ms)              p50      p95     mean`);
  for (const [step, label] of Object.entries(labels) as Array<[Step, string]>) {
    const f = r.perStepMs[step];
    console.log(`    ${label.padEnd(22)} ${ms(f.p50)}   ${ms(f.p95)}   ${ms(f.mean)}${f.n < r.attempted ? `   (${f.n} of ${r.attempted})` : ''}`);
  }
  if (r.firstErrors.length) console.log(`  FAILED; first distinct errors:\n${r.firstErrors.map((e) => `    ${e}`).join('\n')}`);
}

export interface OnboardingBenchOptions extends LoopOptions {
  url: string;
  inbox: string;
  dataDir: string;
  stepTimeoutS: number;
  pollMs: number;
  verbose: boolean;
  json: boolean;
  /** host:port of the stack's Temporal server: when given, the cost per onboarding is read from its histories. */
  temporal?: string;
  namespace: string;
  costSample: number;
}

const COMMON_FLAGS = ['--url', '--inbox', '--data-dir', '--concurrency', '--count', '--timeout', '--step-timeout', '--poll-ms', '--temporal', '--namespace', '--cost-sample'];

/** The flags both onboarding benchmarks take (see their headers), plus `extra` ones the caller reads from `flags`. */
export function onboardingBenchOptions(argv: string[], defaults: { count: number; stepTimeoutS: number }, extra: string[] = []) {
  const flags = parseFlags(argv, [...COMMON_FLAGS, ...extra]);
  const temporal = flags.optional('--temporal');
  if (temporal !== undefined && !LOOPBACK_HOST_PORT.test(temporal)) throw new Error(`Refusing a non-loopback --temporal: ${temporal}`);
  const options: OnboardingBenchOptions = {
    url: flags.loopbackUrl('--url', 'http://localhost:3000'),
    inbox: flags.loopbackUrl('--inbox', 'http://localhost:1080'),
    dataDir: flags.text('--data-dir', DEFAULT_DATA_DIR),
    concurrency: flags.number('--concurrency', 4, 1, true),
    count: flags.number('--count', defaults.count, 1, true),
    timeoutS: flags.number('--timeout', 300, 1),
    stepTimeoutS: flags.number('--step-timeout', defaults.stepTimeoutS, 1),
    pollMs: flags.number('--poll-ms', 100, 10),
    verbose: flags.has('--verbose'),
    json: flags.has('--json'),
    temporal,
    namespace: flags.text('--namespace', 'default'),
    costSample: flags.number('--cost-sample', 3, 1, true),
  };
  return { options, flags };
}

const LOOPBACK_HOST_PORT = /^(localhost|127\.0\.0\.1|\[::1\]):\d{1,5}$/;
