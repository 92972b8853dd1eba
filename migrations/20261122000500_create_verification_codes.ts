import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('verification_codes', (t) => {
    t.text('tenant_id').notNullable();
    t.text('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE');
    t.text('channel').notNullable().checkIn(['EMAIL', 'PHONE'], 'verification_codes_channel_check');
    t.text('code_hash').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['customer_id', 'channel']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('verification_codes');
}
