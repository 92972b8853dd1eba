/**
 * An organization's business profile, one row per `customers` row of type ORGANIZATION. The representative's
 * name and e-mail stay in `customers`; the business's own contact details live here.
 *
 * Duplicates are the database's to refuse: one registration number per country of incorporation per tenant,
 * compared on `registration_number_key`, the number upper-cased with whitespace and dashes removed (so
 * "hrb 123-45" and "HRB12345" are the same company). Two racing registrations cannot both commit.
 */
import type { Knex } from 'knex';
import { KYB_STATUSES } from '../common/statuses';

/** activities/organizations.ts maps a violation of this index to "Organization already exists". */
const REGISTRATION_NUMBER_UNIQUE = 'organization_profiles_registration_unique';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organization_profiles', (t) => {
    t.text('tenant_id').notNullable();
    t.text('customer_id').notNullable();
    t.text('business_name').notNullable();
    t.text('business_type').notNullable();
    t.text('registration_number').notNullable();
    t.specificType(
      'registration_number_key',
      "text GENERATED ALWAYS AS (upper(regexp_replace(registration_number, '[[:space:]-]', '', 'g'))) STORED",
    );
    t.specificType('country_of_incorporation', 'char(3)').notNullable();
    t.date('date_of_incorporation').notNullable();
    t.text('industry_code').notNullable().references('code').inTable('industries').onDelete('RESTRICT');
    t.text('contact_email').notNullable();
    t.text('contact_phone').notNullable();
    t.text('kyb_status').notNullable().defaultTo('NOT_STARTED').checkIn([...KYB_STATUSES], 'organization_profiles_kyb_status_check');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'customer_id']);
    t.foreign(['tenant_id', 'customer_id'], 'organization_profiles_tenant_customer_foreign')
      .references(['tenant_id', 'id'])
      .inTable('customers')
      .onDelete('CASCADE');
  });
  await knex.raw(
    `CREATE UNIQUE INDEX ${REGISTRATION_NUMBER_UNIQUE} ON organization_profiles (tenant_id, country_of_incorporation, registration_number_key)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('organization_profiles');
}
