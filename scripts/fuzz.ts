/**
 * The full HTTP fuzz: `npm run fuzz -- --requests 10000 [--seed 42]`. It starts the same throw-away
 * infrastructure and API slice the tests use (test/support), fuzzes every route of /openapi.json and prints the
 * figures; it exits 1 on any 5xx, crash, error body outside the documented shape, or write by a refused request.
 */
import { harnessTarget } from '../test/fuzz/harness-target';
import { formatReport, fuzzApi } from '../test/fuzz/openapi-fuzz';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { startHarness } from '../test/support/harness';
import { parseFlags } from './bench-support';

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2), ['--requests', '--seed']);
  const requests = flags.number('--requests', 10_000, 1, true);
  const seed = flags.number('--seed', Date.now() % 1_000_000, 0, true);
  await globalSetup();
  const h = await startHarness('fuzz');
  try {
    const target = await harnessTarget(h);
    console.log(`fuzzing ${h.api.url} with ${requests} requests, seed ${seed}`);
    const report = await fuzzApi(target, {
      requests,
      seed,
      onProgress: (done) => done % 1000 === 0 && console.log(`  ${done} requests`),
    });
    console.log(formatReport(report));
    const failed = report.serverErrors.length + report.counts.crashes + report.counts.malformedErrorBodies + report.counts.refusedWrites;
    return failed > 0 ? 1 : 0;
  } finally {
    await h.close();
    await globalTeardown();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
