/**
 * The KYC sandbox as a process of its own, for fault experiments that kill the vendor along with everything else
 * (`npm start` keeps running it in-process). The webhook secret comes from KYC_SANDBOX_WEBHOOK_SECRET so it stays
 * out of the process list; everything else from flags:
 *
 *   tsx devstack/kyc-sandbox/main.ts --port 4010 --webhook-url http://127.0.0.1:3000/api/v2.1/webhooks/kyc/sandbox
 *     [--state-file kyc-sandbox.json] [--slow-delay-ms 3000] [--host 127.0.0.1]
 *
 * SIGTERM or SIGINT stops it; SIGKILL loses only what the state file had not recorded, as a crash would.
 */
import { parseArgs } from 'node:util';
import { startKycSandbox, type KycSandboxOptions } from './index';

function optionsFrom(argv: string[], secret: string | undefined): KycSandboxOptions {
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
  if (!secret) throw new Error('KYC_SANDBOX_WEBHOOK_SECRET is required (whsec_<base64>)');
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
  const sandbox = await startKycSandbox(optionsFrom(process.argv.slice(2), process.env.KYC_SANDBOX_WEBHOOK_SECRET));
  console.log(`kyc-sandbox listening on ${sandbox.url}`);
  const stop = () => void sandbox.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
