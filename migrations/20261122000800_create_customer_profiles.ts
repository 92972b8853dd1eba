import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_profiles', (t) => {
    t.text('customer_id').primary().references('id').inTable('customers').onDelete('CASCADE');
    t.text('tenant_id').notNullable();
    t.date('date_of_birth').notNullable();
    t.text('nationality').notNullable();
    t.text('country_of_residence').notNullable();
    t.jsonb('address').notNullable();
    /** The full v2 payload (financial profile, tax info …) when the customer registered through it. */
    t.jsonb('details');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customer_profiles');
}
