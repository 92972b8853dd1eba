import type { Knex } from 'knex';

/** A matched code is kept, marked consumed: the proof the workflow reads before it accepts a verification. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('verification_codes', (t) => {
    t.timestamp('consumed_at', { useTz: true }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('verification_codes', (t) => {
    t.dropColumn('consumed_at');
  });
}
