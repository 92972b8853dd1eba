/**
 * `npm run bench:audit`: what the audit recorder costs the hot path (individual registration), in one run.
 *
 * Two API servers built alike in this process share one database, Temporal and worker: one records the audit trail, the other
 * was given a trail that stores nothing. Rounds alternate which goes first (drift and the database's growth weigh
 * on both alike); each round sends COUNT registrations at CONCURRENCY to each. Prints per round the registrations
 * per second of each and their ratio (with/without), and the geometric mean of the ratios: the figure to compare,
 * as absolute rates depend on the machine. Not part of `npm test`; it asserts only that every call succeeded and
 * that exactly the recording server's calls are in the trail.
 */
import { startApiServer, type RunningApi } from '../../api/server';
import { createAuditTrail, type AuditTrail } from '../../api/audit/trail';
import { createLogger } from '../../common/logger';
import { startHarness, type Harness } from '../support/harness';
import { createTenant, http, registration, type TenantSession } from '../support/tenant-client';

const ROUNDS = 6;
const COUNT = 24;
const CONCURRENCY = 4;

/** Stores nothing: the baseline. */
const nullTrail: AuditTrail = { append: async () => {}, list: async () => [], pending: () => 0, drain: async () => {} };

/** How long each call waited for its row to be committed: what the recorder adds to a call's latency. */
const appendWaitsMs: number[] = [];
function timed(trail: AuditTrail): AuditTrail {
  return {
    ...trail,
    async append(entry) {
      const started = process.hrtime.bigint();
      await trail.append(entry);
      appendWaitsMs.push(Number(process.hrtime.bigint() - started) / 1e6);
    },
  };
}

let h: Harness;
let recording: RunningApi;
let bare: RunningApi;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('bench_audit', { kybSandbox: false });
  // Both built alike here, differing only in the trail (the harness's own server stays idle).
  const deps = { db: h.db, temporal: h.temporal, logger: createLogger('silent', 'test') };
  recording = await startApiServer(h.config, h.secrets, { ...deps, auditTrail: timed(createAuditTrail(h.db)) }, 0);
  bare = await startApiServer(h.config, h.secrets, { ...deps, auditTrail: nullTrail }, 0);
  tenant = await createTenant(h, 'Bench Bank');
}, 120_000);
afterAll(async () => {
  await bare?.close();
  await recording?.close();
  await h?.close();
});

/** COUNT registrations, CONCURRENCY at a time; answers registrations per second. */
async function round(url: string): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  const statuses: number[] = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < COUNT) {
        next++;
        const res = await http(url, 'POST', '/api/v2.1/customer/individual/registration', { body: registration(), headers: tenant.headers });
        statuses.push(res.status);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  expect(statuses).toEqual(Array(COUNT).fill(201));
  return COUNT / seconds;
}

function describeWaits(): string {
  const sorted = [...appendWaitsMs].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)].toFixed(1);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return `mean ${mean.toFixed(1)} ms, p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms (${sorted.length} calls)`;
}

it(`measures registration with the audit recorder against without, in ${ROUNDS} alternating rounds`, async () => {
  // Warm both (connections, JIT, the workflow bundle) before measuring.
  await round(recording.url);
  await round(bare.url);
  appendWaitsMs.length = 0;
  const rowsBefore = Number((await h.db('audit_events').count({ n: '*' }).first())!.n);
  const ratios: number[] = [];
  const lines: string[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const rate = { with: 0, without: 0 };
    if (r % 2 === 0) {
      rate.with = await round(recording.url);
      rate.without = await round(bare.url);
    } else {
      rate.without = await round(bare.url);
      rate.with = await round(recording.url);
    }
    ratios.push(rate.with / rate.without);
    lines.push(`round ${r + 1}: with ${rate.with.toFixed(2)}/s  without ${rate.without.toFixed(2)}/s  with/without ${(rate.with / rate.without).toFixed(3)}`);
  }
  const geometricMean = Math.exp(ratios.reduce((s, v) => s + Math.log(v), 0) / ratios.length);
  console.log(`Audit recorder cost on registration (${ROUNDS} rounds of ${COUNT} at concurrency ${CONCURRENCY})
${lines.join('\n')}
with/without: geometric mean ${geometricMean.toFixed(3)}, range ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}
wait for the row per call: ${describeWaits()}`);
  const rowsAfter = Number((await h.db('audit_events').count({ n: '*' }).first())!.n);
  expect(rowsAfter - rowsBefore).toBe(ROUNDS * COUNT);
}, 1_800_000);
