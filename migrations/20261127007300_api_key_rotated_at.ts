import type { Knex } from 'knex';

/** When an API key was last replaced by rotation (the key id stays; the old key stops at once). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    t.timestamp('rotated_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    t.dropColumn('rotated_at');
  });
}
