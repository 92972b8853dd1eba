import type { Knex } from 'knex';

/** Tax ids leave the plain `details` document: encrypted at column level, with a masked copy for display. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customer_profiles', (t) => {
    t.text('tax_ids_encrypted');
    t.jsonb('tax_ids_masked');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customer_profiles', (t) => {
    t.dropColumn('tax_ids_masked');
    t.dropColumn('tax_ids_encrypted');
  });
}
