import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('kyc_verifications', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable();
    t.text('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE');
    t.text('provider').notNullable();
    t.text('check_id');
    t.text('status')
      .notNullable()
      .checkIn(['IN_PROGRESS', 'MANUAL_REVIEW', 'APPROVED', 'REJECTED'], 'kyc_verifications_status_check');
    t.text('reason');
    t.text('reviewer');
    t.timestamp('decided_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['provider', 'check_id'], { indexName: 'kyc_verifications_check_unique' });
    t.index(['tenant_id', 'customer_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('kyc_verifications');
}
