import type { Knex } from 'knex';

/** Wrong codes over the contact's whole onboarding: unlike `attempts`, a fresh code does not reset it. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('verification_codes', (t) => {
    t.integer('failed_attempts_total').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('verification_codes', (t) => {
    t.dropColumn('failed_attempts_total');
  });
}
