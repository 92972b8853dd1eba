import type { Knex } from 'knex';

/**
 * Every change to a customer's preferences: which fields moved, from what to what (preferences are not sensitive),
 * who asked (api/auth/actor.ts `actorLabel`) and why when it was not the preferences route (a consent withdrawal).
 * Appended by api/preferences/store.ts in the transaction that changes customer_preferences.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_preference_changes', (t) => {
    t.bigIncrements('id').primary();
    t.text('tenant_id').notNullable();
    t.text('customer_id').notNullable();
    t.jsonb('changes').notNullable();
    t.text('actor').notNullable();
    t.text('reason');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.foreign(['tenant_id', 'customer_id'], 'customer_preference_changes_tenant_customer_foreign')
      .references(['tenant_id', 'id'])
      .inTable('customers')
      .onDelete('CASCADE');
    // The history route pages newest first by id within one customer.
    t.index(['tenant_id', 'customer_id', 'id'], 'customer_preference_changes_page_idx');
  });
  await knex.raw(
    `alter table customer_preference_changes add constraint customer_preference_changes_nonempty_check
       check (jsonb_typeof(changes) = 'array' and jsonb_array_length(changes) > 0)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customer_preference_changes');
}
