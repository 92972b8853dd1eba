import type { Knex } from 'knex';

/**
 * Staff sessions: an opaque random token of which only the SHA-256 digest is stored. A session ends at
 * `expires_at` (absolute), after an idle gap since `last_seen_at`, or when revoked.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('staff_sessions', (t) => {
    t.text('id').primary();
    t.text('account_id').notNullable().references('id').inTable('staff_accounts').onDelete('CASCADE');
    t.text('token_digest').notNullable().unique({ indexName: 'staff_sessions_token_digest_unique' });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
    t.index(['account_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('staff_sessions');
}
