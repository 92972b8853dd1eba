/**
 * Runs a sandbox vendor as a process of its own. The webhook secret comes from an environment variable so it
 * stays out of the process list; everything else from flags:
 *
 *   --port N --webhook-url URL [--state-file FILE] [--slow-delay-ms N] [--host HOST]
 *
 * SIGTERM or SIGINT stops it; SIGKILL loses only what the state file had not recorded, as a crash would.
 */
import { parseArgs } from 'node:util';
import type { RunningVendorSandbox, VendorSandboxOptions } from './index';

export interface StandaloneSandbox {
  /** Names the sandbox in its "listening on" line, e.g. "kyc-sandbox". */
  name: string;
  /** The environment variable holding the webhook secret, e.g. KYC_SANDBOX_WEBHOOK_SECRET. */
  secretVariable: string;
  start(options: VendorSandboxOptions): Promise<RunningVendorSandbox>;
}

export function runStandalone({ name, secretVariable, start }: StandaloneSandbox): void {
  const main = async () => {
    const sandbox = await start(optionsFrom(process.argv.slice(2), secretVariable, process.env[secretVariable]));
    console.log(`${name} listening on ${sandbox.url}`);
    const stop = () => void sandbox.stop().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  };
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

function optionsFrom(argv: string[], secretVariable: string, secret: string | undefined): VendorSandboxOptions {
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
  if (!secret) throw new Error(`${secretVariable} is required (whsec_<base64>)`);
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
