/** `npm run api`: the HTTP role alone, as production runs it. */
import { ConfigError, loadConfig } from '../common/config';
import { createDb, dbTimeoutsFrom } from '../common/db';
import { createLogger } from '../common/logger';
import { resolveSecrets } from '../common/secrets';
import { connectClient, DEFAULT_TEMPORAL_ADDRESS, dataConverterFor, temporalSecurity } from '../common/temporal';
import { startTracing, tracingClientInterceptors } from '../common/tracing';
import { startApiServer } from './server';

async function main() {
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new ConfigError('Invalid configuration:\n  DATABASE_URL: required to run the API alone');
  const secrets = resolveSecrets(config);
  const logger = createLogger(config.LOG_LEVEL, 'api');
  const db = createDb(config.DATABASE_URL, config.DATABASE_POOL_MAX, dbTimeoutsFrom(config));
  const tracing = startTracing(config, 'api');
  const temporal = await connectClient(
    config.TEMPORAL_ADDRESS ?? DEFAULT_TEMPORAL_ADDRESS,
    config.TEMPORAL_NAMESPACE,
    dataConverterFor(secrets),
    temporalSecurity(config),
    tracingClientInterceptors(tracing),
  );
  const api = await startApiServer(config, secrets, { db, temporal, logger, tracing });
  logger.info({ port: config.PORT }, 'api listening');

  // SIGTERM: /ready turns 503, in-flight requests finish, then connections close; past the hard deadline, exit.
  const stop = async () => {
    setTimeout(() => process.exit(1), config.SHUTDOWN_TIMEOUT_MS + 2_000).unref();
    logger.info('draining');
    await api.shutdown();
    await Promise.all([db.destroy(), temporal.connection.close(), tracing?.shutdown()]);
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
