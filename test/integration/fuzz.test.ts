/**
 * A reduced run of the HTTP fuzz (`npm run fuzz` runs the full one): every operation in /openapi.json, generated
 * params, headers and bodies, with no 5xx, no dropped connection, every error in the documented shape, and no
 * row written by a refused request. FUZZ_SEED replays a run; FUZZ_ONLY (a regular expression over "METHOD /path") and
 * FUZZ_REQUESTS aim a longer run at some routes, e.g. FUZZ_ONLY='^\w+ /v2/' FUZZ_REQUESTS=1500.
 */
import { harnessTarget } from '../fuzz/harness-target';
import { formatReport, fuzzApi } from '../fuzz/openapi-fuzz';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('fuzz');
});
afterAll(() => h?.close());

it('answers 400 requests over every route without a 5xx, a crash or a write by a refused request', async () => {
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
  // Named before the run, so a run that hangs past its timeout can still be replayed with FUZZ_SEED.
  console.log(`fuzz seed ${seed} (replay: FUZZ_SEED=${seed} npx jest test/integration/fuzz.test.ts)`);
  const only = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : undefined;
  const requests = Number(process.env.FUZZ_REQUESTS ?? 400);
  const report = await fuzzApi(await harnessTarget(h), { requests, seed, only });
  const summary = `seed ${seed}\n${formatReport(report)}`;
  console.log(summary);
  expect({ serverErrors: report.serverErrors, crashes: report.crashes, malformed: report.malformedErrorBodies, refusedWrites: report.refusedWrites, summary })
    .toEqual({ serverErrors: [], crashes: [], malformed: [], refusedWrites: [], summary });
  expect(report.requests).toBeGreaterThanOrEqual(requests - 10);
  expect((await fetch(`${h.api.url}/health`)).status).toBe(200);
}, Number(process.env.FUZZ_TIMEOUT_MS ?? 180_000));
