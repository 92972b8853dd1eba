/**
 * `npm run bench:paired -- [--rounds 6] [--concurrency 4] [--count 16] [--temporal localhost:7233] [...the flags of
 *   bench-onboarding.ts and bench-organizations.ts]`
 *
 * B2C and B2B onboardings against the same running `npm start` stack, in alternating rounds (B2C first in even
 * rounds, B2B first in odd ones) so that the machine's drift and the stack's growth weigh on both alike. Each round
 * runs --count complete onboardings of each kind at the same --concurrency. Reports each round's onboardings per
 * second, the B2B/B2C ratio per round and its geometric mean (the figure to compare across machines and versions,
 * unlike the absolute rates), the load average around the run, and with --temporal the Temporal cost of each kind.
 */
import { loadavg } from 'node:os';
import { onboardingBenchOptions } from './bench-loop';
import { runIndividuals } from './bench-onboarding';
import { runOrganizations } from './bench-organizations';
import { formatCost } from './bench-temporal-cost';

const geometricMean = (values: number[]) => Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

async function main() {
  const { options, flags } = onboardingBenchOptions(process.argv.slice(2), { count: 16, stepTimeoutS: 60 }, ['--rounds', '--admin-token']);
  const rounds = flags.number('--rounds', 6, 1, true);
  const adminToken = flags.optional('--admin-token');
  const quiet = { ...options, verbose: false, temporal: undefined };
  const loadBefore = load();
  const results: Array<{ round: number; b2c: number; b2b: number; ratio: number; failed: number }> = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? (['b2c', 'b2b'] as const) : (['b2b', 'b2c'] as const);
    const rate: Record<'b2c' | 'b2b', number> = { b2c: NaN, b2b: NaN };
    let failed = 0;
    for (const kind of order) {
      const r = kind === 'b2c' ? await runIndividuals(quiet) : await runOrganizations(quiet, adminToken);
      rate[kind] = r.perSecond;
      failed += r.failed + r.notStarted;
      if (r.firstErrors.length) console.error(`round ${round + 1} ${kind}: ${r.firstErrors.join(' | ')}`);
    }
    results.push({ round: round + 1, ...rate, ratio: rate.b2b / rate.b2c, failed });
    if (!options.json) console.log(`round ${round + 1} (${order.join(' then ')}): B2C ${rate.b2c.toFixed(3)}/s  B2B ${rate.b2b.toFixed(3)}/s  B2B/B2C ${(rate.b2b / rate.b2c).toFixed(3)}${failed ? `  ${failed} failed` : ''}  load ${load()}`);
  }
  // One last small round of each, read back from Temporal: the cost does not depend on the machine.
  const costRun = { ...options, verbose: false, count: options.costSample, concurrency: Math.min(options.concurrency, options.costSample) };
  const costs = options.temporal
    ? { b2c: (await runIndividuals(costRun)).temporalCost, b2b: (await runOrganizations(costRun, adminToken)).temporalCost }
    : undefined;
  const summary = {
    rounds: results,
    concurrency: options.concurrency,
    countPerRound: options.count,
    meanPerSecond: { b2c: mean(results.map((r) => r.b2c)), b2b: mean(results.map((r) => r.b2b)) },
    ratioGeometricMean: geometricMean(results.map((r) => r.ratio)),
    ratioRange: [Math.min(...results.map((r) => r.ratio)), Math.max(...results.map((r) => r.ratio))],
    failed: results.reduce((n, r) => n + r.failed, 0),
    loadAverage: { before: loadBefore, after: load() },
    temporalCost: costs,
  };
  if (options.json) console.log(JSON.stringify(summary));
  else {
    console.log(`Paired: ${rounds} rounds of ${options.count} each at concurrency ${options.concurrency}
  mean onboardings/s   B2C ${summary.meanPerSecond.b2c.toFixed(3)}   B2B ${summary.meanPerSecond.b2b.toFixed(3)}
  B2B/B2C              geometric mean ${summary.ratioGeometricMean.toFixed(3)}, per round ${summary.ratioRange.map((r) => r.toFixed(3)).join('–')}
  failed               ${summary.failed}
  load average         before ${summary.loadAverage.before}, after ${summary.loadAverage.after} (1, 5, 15 min)`);
    if (costs) console.log(`  Temporal B2C         ${formatCost(costs.b2c)}\n  Temporal B2B         ${formatCost(costs.b2b)}`);
  }
  process.exitCode = summary.failed ? 1 : 0;
}

main().catch((error) => {
  console.error(error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ''}` : error);
  process.exitCode = 1;
});
