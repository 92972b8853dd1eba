import type { Knex } from 'knex';

/** Per-tenant onboarding policy (required consents, reminder and expiry durations, RELIANCE). Empty = defaults. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.jsonb('settings').notNullable().defaultTo('{}');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.dropColumn('settings');
  });
}
