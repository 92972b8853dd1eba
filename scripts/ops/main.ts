/**
 * `npm run ops -- <command> [options]` (from the built image: `node dist/scripts/ops/main.js …`): the operator
 * tooling of api/operations over Temporal and PostgreSQL, configured by the same environment as the worker
 * (DATABASE_URL, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, the payload keys to read failures).
 * Exit codes: 0 done, 1 refused or not found, 2 bad usage or configuration.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../common/config';
import { createDb, dbTimeoutsFrom } from '../../common/db';
import { resolveSecrets } from '../../common/secrets';
import { connectClient, dataConverterFor, DEFAULT_TEMPORAL_ADDRESS, temporalSecurity } from '../../common/temporal';
import { ApiError } from '../../api/http/errors';
import { createOperationsService } from '../../api/operations/service';
import { COMMANDS, UsageError, USAGE } from './commands';

const OPTIONS = {
  for: { type: 'string' },
  step: { type: 'string' },
  tenant: { type: 'string' },
  'activity-type': { type: 'string' },
  'activity-id': { type: 'string' },
  'event-id': { type: 'string' },
  filter: { type: 'string' },
  reason: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  limit: { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type CliOptions = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const [name, ...args] = positionals;
  const command = name ? COMMANDS[name] : undefined;
  if (values.help || !command) {
    (command || values.help ? console.log : console.error)(USAGE);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new ConfigError('Invalid configuration:\n  DATABASE_URL: required by the ops CLI');
  const secrets = resolveSecrets(config);
  const db = createDb(config.DATABASE_URL, 2, dbTimeoutsFrom(config));
  const temporal = await connectClient(config.TEMPORAL_ADDRESS ?? DEFAULT_TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE, dataConverterFor(secrets), temporalSecurity(config));
  try {
    const operations = createOperationsService({ db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE });
    await command(operations, args, values);
    return 0;
  } finally {
    await Promise.all([db.destroy(), temporal.connection.close()]);
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    if (error instanceof ApiError) {
      console.error(`${error.code}: ${error.message}${error.details ? ` ${JSON.stringify(error.details)}` : ''}`);
      process.exitCode = 1;
    } else if (error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  },
);
