import type { Knex } from 'knex';

/**
 * Tenant API keys for the v1 routes (X-API-Key). Only a SHA-256 digest of each key is stored: keys are 256-bit
 * random values, so a fast hash is safe and keeps every authenticated call cheap. The prefix is for display only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_keys', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    t.text('key_hash').notNullable().unique({ indexName: 'api_keys_key_hash_unique' });
    t.text('prefix').notNullable();
    t.text('label').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('revoked_at', { useTz: true });
    t.index(['tenant_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('api_keys');
}
