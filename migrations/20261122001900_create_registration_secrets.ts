import type { Knex } from 'knex';

/**
 * Secret material of a registration in flight (the argon2 hash, the encrypted tax ids), written by the API just
 * before it starts the workflow and moved into the customer rows by the registration activity, so it never
 * travels in a workflow payload. A refused registration deletes its row; `expires_at` lets later ones sweep
 * what a crashed API left behind.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('registration_secrets', (t) => {
    t.text('tenant_id').notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    t.text('customer_id').notNullable();
    t.text('password_hash');
    t.text('tax_ids_encrypted');
    t.jsonb('tax_ids_masked');
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'customer_id']);
    t.index(['tenant_id', 'expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('registration_secrets');
}
