import type { Knex } from 'knex';

/**
 * Child rows name their customer together with its tenant: a row whose tenant_id differs from its customer's is
 * refused by the database, whatever the code that writes it does. The composite key replaces the plain
 * customer_id foreign key, which it implies. A database that already holds such a mismatched row fails here,
 * which is the point: that row is a tenancy breach to look at, not something to carry forward.
 */
const CHILD_TABLES = [
  'customer_status_history',
  'verification_codes',
  'outbound_emails',
  'customer_profiles',
  'consents',
  'kyc_verifications',
  'outbound_sms',
] as const;

const TENANT_KEY = 'customers_tenant_id_id_unique';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (t) => {
    t.unique(['tenant_id', 'id'], { indexName: TENANT_KEY });
  });
  for (const table of CHILD_TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.dropForeign(['customer_id']);
      t.foreign(['tenant_id', 'customer_id'], `${table}_tenant_customer_foreign`)
        .references(['tenant_id', 'id'])
        .inTable('customers')
        .onDelete('CASCADE');
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of CHILD_TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.dropForeign(['tenant_id', 'customer_id'], `${table}_tenant_customer_foreign`);
      t.foreign('customer_id').references('id').inTable('customers').onDelete('CASCADE');
    });
  }
  await knex.schema.alterTable('customers', (t) => {
    t.dropUnique(['tenant_id', 'id'], TENANT_KEY);
  });
}
