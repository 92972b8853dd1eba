/**
 * What bench-vs-baseline and bench-vs-baseline-journey print: each round's two sides and their ratios, then
 * geometric means over the rounds, per unit of work (a registration, or a whole onboarding).
 */
export type Side = 'project' | 'baseline';

/** What one item of work is, as the tables name it, and the status key that counts one as done. */
export interface Unit {
  name: 'registration' | 'onboarding';
  rate: string;
  done: string;
  doneNote: string;
  /** Decimals of the figures printed (onboardings come a few per second). */
  digits: number;
}

export const REGISTRATIONS: Unit = { name: 'registration', rate: '201/s', done: '201', doneNote: 'registered, warm-up included', digits: 1 };
export const ONBOARDINGS: Unit = { name: 'onboarding', rate: 'onb/s', done: 'completed', doneNote: 'onboarded', digits: 2 };

export interface SideResult {
  side: Side;
  /** Registrations: 201s per second over the measured window, at the offered rate. Onboardings: completed per second. */
  throughput: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  statuses: Record<string, number>;
  /** Items done over the whole run (201s, warm-up included; or completed onboardings): the divisor of the CPU figures. */
  created: number;
  /** CPU milliseconds per item (registration or onboarding) over the run plus the settle time, by component. */
  cpuMsPerItem: { temporal: number; node: number; postgres: number; mail: number };
  /** The Node process under test. */
  rssMiB: { before: number; after: number };
  loadAverage: { before: string; after: string };
  firstErrors: string[];
}

type Pair = Record<Side, SideResult> & { order: Side[] };

/** The figures compared as project/baseline ratios (mail is not: the registration baseline sends none). */
const FIGURES = {
  throughput: (r: SideResult) => r.throughput,
  p50: (r: SideResult) => r.latencyMs.p50,
  p90: (r: SideResult) => r.latencyMs.p90,
  p99: (r: SideResult) => r.latencyMs.p99,
  cpuTemporal: (r: SideResult) => r.cpuMsPerItem.temporal,
  cpuNode: (r: SideResult) => r.cpuMsPerItem.node,
  cpuPostgres: (r: SideResult) => r.cpuMsPerItem.postgres,
  cpuTotal: (r: SideResult) => r.cpuMsPerItem.temporal + r.cpuMsPerItem.node + r.cpuMsPerItem.postgres,
} as const;
type Figure = keyof typeof FIGURES;

/** Geometric mean of the positive finite values (NaN when there are none). */
export function geometricMean(values: number[]): number {
  const usable = values.filter((v) => Number.isFinite(v) && v > 0);
  return usable.length ? Math.exp(usable.reduce((sum, v) => sum + Math.log(v), 0) / usable.length) : NaN;
}

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

const ratiosOf = (pair: Pair) =>
  Object.fromEntries((Object.keys(FIGURES) as Figure[]).map((f) => [f, FIGURES[f](pair.project) / FIGURES[f](pair.baseline)])) as Record<Figure, number>;

export function summarize(pairs: Pair[], unit: Unit = REGISTRATIONS) {
  const meanOf = (side: Side) =>
    Object.fromEntries((Object.keys(FIGURES) as Figure[]).map((f) => [f, geometricMean(pairs.map((p) => FIGURES[f](p[side])))])) as Record<Figure, number>;
  const ratios = pairs.map(ratiosOf);
  const range = (f: Figure) => [Math.min(...ratios.map((r) => r[f])), Math.max(...ratios.map((r) => r[f]))];
  return {
    rounds: pairs.length,
    geometricMean: { project: meanOf('project'), baseline: meanOf('baseline') },
    /** Geometric mean of the per-round project/baseline ratios, and their range. */
    ratio: Object.fromEntries((Object.keys(FIGURES) as Figure[]).map((f) => [f, { geometricMean: geometricMean(ratios.map((r) => r[f])), range: range(f) }])) as Record<
      Figure,
      { geometricMean: number; range: number[] }
    >,
    /** Arithmetic mean: the baseline's is about zero (it sends no e-mail), which a geometric mean cannot hold. */
    mailCpuMsPerItem: { project: mean(pairs.map((p) => p.project.cpuMsPerItem.mail)), baseline: mean(pairs.map((p) => p.baseline.cpuMsPerItem.mail)) },
    /** Throughput of each side round by round, in the order run: a decline as onboardings accumulate shows here. */
    throughputByRound: { project: pairs.map((p) => p.project.throughput), baseline: pairs.map((p) => p.baseline.throughput) },
    rss: { project: pairs.map((p) => p.project.rssMiB), baseline: pairs.map((p) => p.baseline.rssMiB) },
    nonCreated: { project: pairs.reduce((n, p) => n + notDone(p.project, unit), 0), baseline: pairs.reduce((n, p) => n + notDone(p.baseline, unit), 0) },
  };
}

const notDone = (r: SideResult, unit: Unit) => Object.entries(r.statuses).reduce((n, [status, count]) => n + (status === unit.done ? 0 : count), 0);

const num = (value: number, digits = 1, width = 8) => (Number.isFinite(value) ? value.toFixed(digits) : '-').padStart(width);
const header = (unit: Unit) =>
  `            ${unit.rate.padStart(7)}   p50 ms   p90 ms   p99 ms | ${`CPU ms/${unit.name}:`.padEnd(20)} Temporal     Node Postgres     Mail | RSS MiB before → after`;

function row(label: string, values: Record<Figure, number>, mail: number, rss?: { before: number; after: number }, digits = 1) {
  const v = (f: Figure) => num(values[f], digits);
  return `  ${label.padEnd(10)}${v('throughput')} ${v('p50')} ${v('p90')} ${v('p99')} |                     ${v('cpuTemporal')} ${v('cpuNode')} ${v('cpuPostgres')} ${num(mail, digits)} | ${rss ? `${rss.before.toFixed(0)} → ${rss.after.toFixed(0)}` : ''}`;
}

const figuresOf = (r: SideResult) => Object.fromEntries((Object.keys(FIGURES) as Figure[]).map((f) => [f, FIGURES[f](r)])) as Record<Figure, number>;
const statusText = (r: SideResult) => Object.entries(r.statuses).map(([code, n]) => `${code}: ${n}`).join('  ');

export function printPair(round: number, pair: Pair, unit: Unit = REGISTRATIONS) {
  console.log(`round ${round} (${pair.order.join(' then ')}), load average ${pair[pair.order[0]].loadAverage.before} → ${pair[pair.order[1]].loadAverage.after}\n${header(unit)}`);
  for (const side of ['project', 'baseline'] as const) console.log(row(side, figuresOf(pair[side]), pair[side].cpuMsPerItem.mail, pair[side].rssMiB, unit.digits));
  console.log(row('ratio', ratiosOf(pair), NaN, undefined, 2));
  for (const side of ['project', 'baseline'] as const) {
    console.log(`  ${side} answers  ${statusText(pair[side])}  (${pair[side].created} ${unit.doneNote})`);
    if (pair[side].firstErrors.length) console.log(`    first errors: ${pair[side].firstErrors.join(' | ')}`);
  }
}

/** `title` says what was measured and how; then the geometric means, the ratios and the trend over rounds. */
export function printSummary(title: string, report: { loadAverage: { before: string; after: string }; summary: ReturnType<typeof summarize> }, unit: Unit = REGISTRATIONS) {
  const s = report.summary;
  const byRound = (values: number[]) => `${values.map((v) => v.toFixed(unit.digits)).join(' ')} (last/first ${(values.at(-1)! / values[0]).toFixed(2)})`;
  const ratios = Object.fromEntries(Object.entries(s.ratio).map(([f, r]) => [f, r.geometricMean])) as Record<Figure, number>;
  console.log(`
${title}, geometric means
${header(unit)}
${row('project', s.geometricMean.project, s.mailCpuMsPerItem.project, undefined, unit.digits)}
${row('baseline', s.geometricMean.baseline, s.mailCpuMsPerItem.baseline, undefined, unit.digits)}
${row('ratio', ratios, NaN, undefined, 2)}
  ratio range  ${(Object.keys(s.ratio) as Figure[]).map((f) => `${f} ${s.ratio[f].range.map((v) => v.toFixed(2)).join('–')}`).join(', ')}
  ${`${unit.rate} by round`.padEnd(16)} project ${byRound(s.throughputByRound.project)}   baseline ${byRound(s.throughputByRound.baseline)}
  ${`not ${unit.done}`.padEnd(16)} project ${s.nonCreated.project}, baseline ${s.nonCreated.baseline}
  load average     before ${report.loadAverage.before}, after ${report.loadAverage.after} (1, 5, 15 min)`);
}
