/**
 * A reduced run of the HTTP fuzz (`npm run fuzz` runs the full one): every operation in /openapi.json, generated
 * params, headers and bodies, with no 5xx, no dropped connection, every error in the documented shape, and no
 * row written by a refused request. FUZZ_SEED replays a run.
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
  const report = await fuzzApi(await harnessTarget(h), { requests: 400, seed });
  const summary = `seed ${seed}\n${formatReport(report)}`;
  expect({ serverErrors: report.serverErrors, crashes: report.crashes, malformed: report.malformedErrorBodies, refusedWrites: report.refusedWrites, summary })
    .toEqual({ serverErrors: [], crashes: [], malformed: [], refusedWrites: [], summary });
  expect(report.requests).toBeGreaterThanOrEqual(390);
  expect((await fetch(`${h.api.url}/health`)).status).toBe(200);
}, 180_000);
