import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('consents', (t) => {
    t.bigIncrements('id').primary();
    t.text('tenant_id').notNullable();
    t.text('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE');
    t.text('type').notNullable().checkIn(['TERMS_AND_CONDITIONS', 'PRIVACY_POLICY', 'DATA_PROCESSING', 'MARKETING'], 'consents_type_check');
    t.text('version').notNullable();
    t.text('ip_address');
    t.text('user_agent');
    t.timestamp('accepted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['customer_id', 'type', 'version'], { indexName: 'consents_once_per_version' });
    t.index(['tenant_id', 'customer_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('consents');
}
