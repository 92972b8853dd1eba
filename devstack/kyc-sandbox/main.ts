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
import { runStandalone } from '../vendor-sandbox/standalone';
import { startKycSandbox } from './index';

runStandalone({ name: 'kyc-sandbox', secretVariable: 'KYC_SANDBOX_WEBHOOK_SECRET', start: startKycSandbox });
