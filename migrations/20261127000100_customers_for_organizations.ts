import type { Knex } from 'knex';
import { CUSTOMER_STATUSES, ORGANIZATION_STATUSES } from '../common/statuses';

/**
 * `customers` becomes the row of any onboarding subject a tenant serves: an individual, or an organization whose
 * person columns (first_name, last_name, email, phone) name the representative who acts for it. Only
 * individuals must have a unique e-mail within their tenant: one representative may register several companies.
 * The status check accepts both flows' statuses; which statuses a row may take is the workflow's business.
 */
const OLD_STATUSES = [...CUSTOMER_STATUSES];
const ALL_STATUSES = [...new Set([...CUSTOMER_STATUSES, ...ORGANIZATION_STATUSES])];

async function setStatusCheck(knex: Knex, statuses: readonly string[]): Promise<void> {
  await knex.raw('ALTER TABLE customers DROP CONSTRAINT customers_status_check');
  // DDL takes no bind parameters; the values are this file's constants, upper-case words only.
  const list = statuses.map((status) => `'${status.replace(/[^A-Z_]/g, '')}'`).join(', ');
  await knex.raw(`ALTER TABLE customers ADD CONSTRAINT customers_status_check CHECK (status IN (${list}))`);
}

export async function up(knex: Knex): Promise<void> {
  await setStatusCheck(knex, ALL_STATUSES);
  await knex.raw('DROP INDEX customers_tenant_email_unique');
  await knex.raw("CREATE UNIQUE INDEX customers_tenant_email_unique ON customers (tenant_id, lower(email)) WHERE type = 'INDIVIDUAL'");
}

export async function down(knex: Knex): Promise<void> {
  await knex('customers').where({ type: 'ORGANIZATION' }).delete();
  await knex.raw('DROP INDEX customers_tenant_email_unique');
  await knex.raw('CREATE UNIQUE INDEX customers_tenant_email_unique ON customers (tenant_id, lower(email))');
  await setStatusCheck(knex, OLD_STATUSES);
}
