/** `npm run migrate`: applies pending migrations to DATABASE_URL (the compose `migrate` job runs this). */
import { ConfigError, loadConfig } from '../common/config';
import { createDb } from '../common/db';
import { migrateToLatest } from '../migrations';

async function main() {
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new ConfigError('Invalid configuration:\n  DATABASE_URL: required to migrate');
  const db = createDb(config.DATABASE_URL, 1);
  try {
    const applied = await migrateToLatest(db);
    console.log(applied.length ? `Applied ${applied.join(', ')}` : 'Database is up to date');
  } finally {
    await db.destroy();
  }
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
