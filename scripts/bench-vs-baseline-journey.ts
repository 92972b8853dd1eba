/**
 * `npm run bench:baseline-journey -- [--concurrency 8] [--count 80] [--rounds 3] [--warmup 4] [--settle 3] [--json]
 *   [--url http://localhost:3000] [--inbox http://localhost:1080] [--temporal localhost:7233]
 *   [--database-url postgres://…@127.0.0.1:5433/postgres] [--smtp-port 1025] [--data-dir .data]
 *   [--baseline-url http://localhost:3100 | --baseline-port 3100 --codec encrypted|none]
 *   [--timeout 300] [--step-timeout 30] [--poll-ms 100] [--cost-sample 3] [--verbose]`
 *
 * Whole individual onboardings of a running `npm start` against the baseline journey (scripts/baseline/, started
 * with `--flow journey`: a minimal workflow making the same updates, signal and activity calls as one project
 * onboarding), on the same Temporal server, PostgreSQL server and MailDev, in alternating rounds (project then
 * baseline, baseline then project, …). Both sides are driven by the same client, the bench's journey
 * (scripts/bench-onboarding.ts `onboard`: register v2.1, the code from MailDev, verify, profile, three consents,
 * KYC, poll until approved, activate), closed loop: --concurrency workers take onboardings one after another
 * until --count are done. The two sides differ only in their target: the project is called with the demo
 * tenant's token, the baseline without one. Without --baseline-url the script starts the baseline itself and
 * stops it. Before the first round each side runs --warmup onboardings that are not measured.
 *
 * Per round and as geometric means over rounds: onboardings per second, whole-onboarding p50/p90/p99, CPU ms per
 * onboarding of the Temporal server, the Node process under test, PostgreSQL and the mail catcher (over the round
 * plus --settle seconds), the Node process's RSS, the project/baseline ratio of each, and the Temporal cost of an
 * onboarding on each side (events, workflow tasks, activities, read from --cost-sample histories).
 */
import { onboardingBenchOptions, type OnboardingBenchOptions } from './bench-loop';
import { projectTarget, runIndividuals, type JourneyTarget } from './bench-onboarding';
import { formatCost } from './bench-temporal-cost';
import { journeyWorkflowId } from './baseline/journey-contract';
import { REGISTRATION_ROUTES } from './bench-routes';
import { ONBOARDINGS, printPair, printSummary, summarize, type Side, type SideResult } from './bench-vs-baseline-report';
import { BASELINE_FLAGS, baselineHealth, baselineOptions, loadAverage, measured, pidsOfSides, startBaseline, stopBaseline, type Pids } from './bench-vs-baseline-support';

function options(argv: string[]) {
  const { options: loop, flags } = onboardingBenchOptions(argv, { count: 80, stepTimeoutS: 30 }, [...BASELINE_FLAGS, '--rounds', '--warmup']);
  const opts = baselineOptions(flags, { rounds: 3, settle: 3 });
  const concurrency = flags.number('--concurrency', 8, 1, true);
  // The histories are always read (counting events is cheap): the Temporal server the CPU is measured on.
  return { ...opts, loop: { ...loop, concurrency, temporal: opts.temporal }, warmup: flags.number('--warmup', 4, 0, true) };
}
type Options = ReturnType<typeof options>;

/** The baseline: the project's paths without a token; its onboarding is one workflow of its own. */
const baselineTarget: JourneyTarget = { headers: async () => ({ 'content-type': 'application/json' }), workflowIdOf: journeyWorkflowId };

type JourneySideResult = SideResult & { temporalCost: Awaited<ReturnType<typeof runIndividuals>>['temporalCost'] };

async function measure(opts: Options, side: Side, loop: OnboardingBenchOptions, target: JourneyTarget, pids: Pids): Promise<JourneySideResult> {
  const { result: run, ...costs } = await measured(pids, opts.settle, () => runIndividuals(loop, target), (run) => run.completed);
  const statuses = { completed: run.completed, failed: run.failed, ...(run.notStarted ? { 'not started': run.notStarted } : {}) };
  const { p50, p90, p99, max } = run.latencyMs;
  return { side, throughput: run.perSecond, latencyMs: { p50, p90, p99, max }, statuses, created: run.completed, ...costs, firstErrors: run.firstErrors, temporalCost: run.temporalCost };
}

async function main() {
  const opts = options(process.argv.slice(2));
  const started = opts.baselineUrl ? undefined : await startBaseline(opts, ['--flow', 'journey', '--smtp-url', `smtp://127.0.0.1:${opts.smtpPort}`]);
  try {
    const baselineUrl = opts.baselineUrl ?? started!.url;
    const health = await baselineHealth(baselineUrl, 'journey', REGISTRATION_ROUTES['v2.1'].path);
    const pids = pidsOfSides(opts, baselineUrl);
    const loops: Record<Side, OnboardingBenchOptions> = { project: { ...opts.loop, url: opts.url }, baseline: { ...opts.loop, url: baselineUrl } };
    const targets: Record<Side, JourneyTarget> = { project: projectTarget(loops.project), baseline: baselineTarget };
    const title = `Project vs baseline, whole onboardings (the bench's journey), codec ${health.codec}: ${opts.rounds} rounds of ${opts.loop.count} at concurrency ${opts.loop.concurrency} (closed loop)`;
    if (!opts.json) console.log(`${title}; project ${opts.url}, baseline ${baselineUrl}`);
    for (const side of ['project', 'baseline'] as const) {
      if (opts.warmup === 0) continue;
      const warm = await runIndividuals({ ...loops[side], count: opts.warmup, concurrency: Math.min(opts.warmup, opts.loop.concurrency), temporal: undefined, verbose: false }, targets[side]);
      if (warm.completed < opts.warmup) throw new Error(`${side} warm-up: ${warm.completed} of ${opts.warmup} onboardings completed (${warm.firstErrors.join(' | ')})`);
    }
    const loadBefore = loadAverage();
    const pairs: Array<Record<Side, JourneySideResult> & { order: Side[] }> = [];
    for (let round = 0; round < opts.rounds; round++) {
      const order: Side[] = round % 2 === 0 ? ['project', 'baseline'] : ['baseline', 'project'];
      const results = {} as Record<Side, JourneySideResult>;
      // Verbose: the first customer of the first round of each side, step by step.
      for (const side of order) results[side] = await measure(opts, side, { ...loops[side], verbose: opts.loop.verbose && round === 0 }, targets[side], pids[side]);
      pairs.push({ ...results, order });
      if (!opts.json) {
        printPair(round + 1, pairs.at(-1)!, ONBOARDINGS);
        for (const side of ['project', 'baseline'] as const) console.log(`  ${side} Temporal  ${formatCost(results[side].temporalCost)}`);
      }
    }
    const summary = summarize(pairs, ONBOARDINGS);
    const { concurrency, count } = opts.loop;
    const report = { unit: 'onboarding', concurrency, count, warmup: opts.warmup, settleS: opts.settle, baselineCodec: health.codec, pids, loadAverage: { before: loadBefore, after: loadAverage() }, pairs, summary };
    if (opts.json) console.log(JSON.stringify(report));
    else printSummary(title, report, ONBOARDINGS);
    process.exitCode = pairs.some((p) => p.project.created < count || p.baseline.created < count) ? 1 : 0;
  } finally {
    if (started) await stopBaseline(started.child);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ''}` : error);
  process.exitCode = 1;
});
