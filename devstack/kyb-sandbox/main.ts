/**
 * The KYB sandbox as a process of its own (`npm start` runs it in-process). The webhook secret comes from
 * KYB_SANDBOX_WEBHOOK_SECRET so it stays out of the process list; everything else from flags:
 *
 *   tsx devstack/kyb-sandbox/main.ts --port 4020 --webhook-url http://127.0.0.1:3000/api/v2.1/webhooks/kyb/sandbox
 *     [--state-file kyb-sandbox.json] [--slow-delay-ms 3000] [--host 127.0.0.1]
 *
 * SIGTERM or SIGINT stops it; SIGKILL loses only what the state file had not recorded, as a crash would.
 */
import { parseArgs } from 'node:util';
import { startKybSandbox, type KybSandboxOptions } from './index';

function optionsFrom(argv: string[], secret: string | undefined): KybSandboxOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'webhook-url': { type: 'string' },
      'state-file': { type: 'string' },
      'slow-delay-ms': { type: 'string' },
    },
  });
  const whole = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text)) throw new Error(`--${name} must be a whole number, got ${text}`);
    return Number(text);
  };
  const port = whole('port', values.port);
  if (port === undefined || !values['webhook-url']) throw new Error('--port and --webhook-url are required');
  if (!secret) throw new Error('KYB_SANDBOX_WEBHOOK_SECRET is required (whsec_<base64>)');
  return {
    port,
    host: values.host,
    webhookUrl: values['webhook-url'],
    webhookSecret: secret,
    stateFile: values['state-file'],
    slowDelayMs: whole('slow-delay-ms', values['slow-delay-ms']),
    log: (message) => console.error(message),
  };
}

async function main() {
  const sandbox = await startKybSandbox(optionsFrom(process.argv.slice(2), process.env.KYB_SANDBOX_WEBHOOK_SECRET));
  console.log(`kyb-sandbox listening on ${sandbox.url}`);
  const stop = () => void sandbox.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
