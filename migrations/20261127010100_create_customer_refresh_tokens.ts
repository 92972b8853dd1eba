import type { Knex } from 'knex';

/**
 * Every refresh token a session was given, by SHA-256 digest (the token is 256 random bits, shown once). A refresh
 * marks its token used and issues the next; a used token presented again revokes the whole session.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_refresh_tokens', (t) => {
    t.text('token_hash').primary();
    t.text('tenant_id').notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    t.text('session_id').notNullable().references('id').inTable('customer_sessions').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('used_at', { useTz: true });
    t.index(['session_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customer_refresh_tokens');
}
