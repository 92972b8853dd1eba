import type { Knex } from 'knex';

/**
 * What a CUSTOM tenant may use (its capability codes and rate limit, set by the platform admin) and every tenant's
 * countries of operation (SCT03). Fixed tiers take their capabilities and limit from the tier; null countries
 * means the tenant is not restricted to a list.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.specificType('custom_capabilities', 'text[]');
    t.integer('custom_rate_limit_per_minute');
    t.specificType('countries', 'text[]');
  });
  await knex.raw(`alter table tenants add constraint tenants_custom_rate_limit_check
    check (custom_rate_limit_per_minute is null or custom_rate_limit_per_minute between 1 and 1000000)`);
  await knex.raw(`alter table tenants add constraint tenants_custom_capabilities_check
    check (custom_capabilities is null or custom_capabilities <@ array['SCT01','SCT02','SCT11','SCT12']::text[])`);
  await knex.raw(`alter table tenants add constraint tenants_countries_check
    check (countries is null or (cardinality(countries) > 0 and array_to_string(countries, ',') ~ '^[A-Z]{2}(,[A-Z]{2})*$'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.dropChecks(['tenants_custom_rate_limit_check', 'tenants_custom_capabilities_check', 'tenants_countries_check']);
    t.dropColumns('custom_capabilities', 'custom_rate_limit_per_minute', 'countries');
  });
}
