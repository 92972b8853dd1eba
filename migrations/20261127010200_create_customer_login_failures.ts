import type { Knex } from 'knex';

/**
 * Failed logins per e-mail address of a tenant, known or not, keyed by an HMAC of the lower-cased address (no
 * address is stored). Counting unknown addresses too keeps the lockout answer from telling whether one exists.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_login_failures', (t) => {
    t.text('tenant_id').notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    t.text('email_key').notNullable();
    t.integer('failures').notNullable().defaultTo(0);
    t.timestamp('locked_until', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'email_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customer_login_failures');
}
