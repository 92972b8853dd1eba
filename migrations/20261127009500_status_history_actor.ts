import type { Knex } from 'knex';

/**
 * Who changed a customer's status: the actor as api/auth/actor.ts writes it (`tenant:oauth:cli_…`,
 * `staff:stf_…`). Null where the onboarding workflow moved the customer (and on rows from before this column).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customer_status_history', (t) => {
    t.text('actor');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customer_status_history', (t) => {
    t.dropColumn('actor');
  });
}
