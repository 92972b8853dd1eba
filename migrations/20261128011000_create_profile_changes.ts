import type { Knex } from 'knex';

/**
 * Which fields of a customer's profile changed, who changed them and when: never the values (personal data stays in
 * `customer_profiles` and `customers`). Written with the change it records, in the same transaction.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('profile_changes', (t) => {
    t.bigIncrements('id').primary();
    t.text('tenant_id').notNullable();
    t.text('customer_id').notNullable();
    t.specificType('fields', 'text[]').notNullable();
    t.text('source').notNullable();
    t.text('actor').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.foreign(['tenant_id', 'customer_id'], 'profile_changes_tenant_customer_foreign').references(['tenant_id', 'id']).inTable('customers').onDelete('CASCADE');
    t.index(['tenant_id', 'customer_id', 'id'], 'profile_changes_customer_page');
  });
  await knex.raw(`alter table profile_changes add constraint profile_changes_fields_not_empty check (cardinality(fields) > 0)`);
  await knex.raw(`alter table profile_changes add constraint profile_changes_source_check check (source in ('PROFILE_UPDATE', 'CONTACT_CHANGE'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('profile_changes');
}
