/**
 * The ordered list of migrations. Listing them here (rather than letting knex scan a folder) makes the same
 * code run from TypeScript sources, from compiled `dist/` and inside jest. Names are recorded in
 * `knex_migrations`, so a migration is never renamed once it has shipped.
 */
import type { Knex } from 'knex';
import * as createTenants from './20261122000100_create_tenants';
import * as createOauthClients from './20261122000200_create_oauth_clients';
import * as createCustomers from './20261122000300_create_customers';
import * as createStatusHistory from './20261122000400_create_customer_status_history';
import * as createVerificationCodes from './20261122000500_create_verification_codes';
import * as createOutboundEmails from './20261122000600_create_outbound_emails';

type Migration = Knex.Migration;

const MIGRATIONS: ReadonlyArray<[string, Migration]> = [
  ['20261122000100_create_tenants', createTenants],
  ['20261122000200_create_oauth_clients', createOauthClients],
  ['20261122000300_create_customers', createCustomers],
  ['20261122000400_create_customer_status_history', createStatusHistory],
  ['20261122000500_create_verification_codes', createVerificationCodes],
  ['20261122000600_create_outbound_emails', createOutboundEmails],
];

export const migrationSource: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};

export async function migrateToLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return applied;
}
