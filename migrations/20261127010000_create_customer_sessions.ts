import type { Knex } from 'knex';

/**
 * A customer's signed-in session (api/customer-auth). CHALLENGED: the password was right and a TOTP code is
 * awaited (only `challenge_hash` opens it); ACTIVE: its access tokens work while `revoked_at` is null and
 * `expires_at` is ahead, checked on every request, so a logout takes effect at once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_sessions', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable();
    t.text('customer_id').notNullable();
    t.text('status').notNullable().checkIn(['CHALLENGED', 'ACTIVE'], 'customer_sessions_status_check');
    t.text('challenge_hash');
    t.integer('challenge_attempts').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
    t.text('revoked_reason');
    t.foreign(['tenant_id', 'customer_id'], 'customer_sessions_tenant_customer_foreign')
      .references(['tenant_id', 'id'])
      .inTable('customers')
      .onDelete('CASCADE');
    t.index(['tenant_id', 'customer_id']);
    t.unique(['challenge_hash'], { indexName: 'customer_sessions_challenge_unique' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customer_sessions');
}
