/**
 * `npm run faults -- [--scenario worker-kill|postgres-outage|provider-faults|stack-kill|all] [--count 200]
 *   [--concurrency 20] [--outage 30] [--slow-delay 60] [--timeout 900] [--json]`
 *
 * Starts a throw-away lab (its own Temporal, PostgreSQL, MailDev, KYC sandbox, API and worker processes on free
 * loopback ports), runs the fault experiments against it and prints their figures. Exits 1 if any experiment saw a
 * lost, stuck or duplicated onboarding, an e-mail sent twice, a 500 or an unanswered request.
 */
import { parseFlags } from '../bench-support';
import { startLab } from './lab';
import { postgresOutage, providerFaults, workerKill, type Figures } from './scenarios';
import { stackKill } from './stack-kill';

// stack-kill last: it restarts the sandbox with a long `Slow` callback delay.
const SCENARIOS = ['worker-kill', 'postgres-outage', 'provider-faults', 'stack-kill'] as const;

async function main() {
  const flags = parseFlags(process.argv.slice(2), ['--scenario', '--count', '--concurrency', '--outage', '--slow-delay', '--timeout']);
  const chosen = flags.text('--scenario', 'all');
  const scenarios = chosen === 'all' ? [...SCENARIOS] : [chosen];
  for (const name of scenarios) if (!(SCENARIOS as readonly string[]).includes(name)) throw new Error(`Unknown scenario ${name}`);
  const size = {
    count: flags.number('--count', 200, 1, true),
    concurrency: flags.number('--concurrency', 20, 1, true),
    timeoutS: flags.number('--timeout', 900, 10),
  };
  const lab = await startLab({ env: { KYC_PROVIDER_TIMEOUT_MS: '2000' } });
  const results: Figures[] = [];
  try {
    for (const name of scenarios) {
      const started = Date.now();
      const result =
        name === 'worker-kill'
          ? await workerKill(lab, size)
          : name === 'postgres-outage'
            ? await postgresOutage(lab, { ...size, outageS: flags.number('--outage', 30, 1) })
            : name === 'provider-faults'
              ? await providerFaults(lab, size)
              : await stackKill(lab, { ...size, slowDelayS: flags.number('--slow-delay', 60, 1) });
      results.push(result);
      const line = flags.has('--json') ? JSON.stringify(result) : `${result.ok ? 'PASS' : 'FAIL'} ${result.scenario} (${((Date.now() - started) / 1000).toFixed(0)} s)\n${JSON.stringify(result.figures, null, 2)}`;
      console.log(line);
    }
  } finally {
    await lab.close();
  }
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
