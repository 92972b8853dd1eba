/**
 * `npm run tools`: installs the pinned Temporal CLI (dev server + Web UI) and the time-skipping test server
 * into .tools/, unless TEMPORAL_CLI_PATH or a `temporal` on PATH already provides the CLI. `npm start` and the
 * tests also install them on first use; this makes the step explicit for CI and offline preparation.
 */
import { loadConfig } from '../common/config';
import { resolveTemporalCli, resolveTimeSkippingServer } from './temporal';

const config = loadConfig();
console.log(`Temporal CLI: ${resolveTemporalCli(config.TEMPORAL_CLI_PATH)}`);
console.log(`Temporal time-skipping test server: ${resolveTimeSkippingServer()}`);
