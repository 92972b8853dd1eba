import type { Knex } from 'knex';

/**
 * Which secret of an OAuth client is current. Access tokens carry the version they were issued under, and the
 * tenant guard accepts a token only while its client is live at that version: rotating the secret (which bumps
 * it) or revoking the client stops the tokens already issued at the next request.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('oauth_clients', (t) => {
    t.integer('secret_version').notNullable().defaultTo(1);
    t.timestamp('secret_rotated_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('oauth_clients', (t) => {
    t.dropColumns('secret_version', 'secret_rotated_at');
  });
}
