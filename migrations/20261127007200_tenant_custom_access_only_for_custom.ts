import type { Knex } from 'knex';

/**
 * Custom capabilities and a custom rate limit mean something only for a CUSTOM tenant: a fixed tier takes both
 * from the tier, so a value left on another tier would be a setting nobody reads (and one that silently came back
 * if the tenant were made CUSTOM again). Changing a tenant away from CUSTOM clears them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table tenants add constraint tenants_custom_access_only_for_custom_check
    check (tier = 'CUSTOM' or (custom_capabilities is null and custom_rate_limit_per_minute is null))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table tenants drop constraint tenants_custom_access_only_for_custom_check');
}
