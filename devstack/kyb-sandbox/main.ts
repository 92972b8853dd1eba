/**
 * The KYB sandbox as a process of its own (`npm start` runs it in-process). The webhook secret comes from
 * KYB_SANDBOX_WEBHOOK_SECRET so it stays out of the process list; everything else from flags:
 *
 *   tsx devstack/kyb-sandbox/main.ts --port 4020 --webhook-url http://127.0.0.1:3000/api/v2.1/webhooks/kyb/sandbox
 *     [--state-file kyb-sandbox.json] [--slow-delay-ms 3000] [--host 127.0.0.1]
 *
 * SIGTERM or SIGINT stops it; SIGKILL loses only what the state file had not recorded, as a crash would.
 */
import { runStandalone } from '../vendor-sandbox/standalone';
import { startKybSandbox } from './index';

runStandalone({ name: 'kyb-sandbox', secretVariable: 'KYB_SANDBOX_WEBHOOK_SECRET', start: startKybSandbox });
