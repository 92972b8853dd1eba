import type { Knex } from 'knex';

const STATUSES = [
  'PENDING_EMAIL_VERIFICATION', 'PENDING_PHONE_VERIFICATION', 'PENDING_PROFILE', 'PENDING_CONSENTS', 'PENDING_KYC',
  'KYC_IN_PROGRESS', 'MANUAL_REVIEW', 'KYC_APPROVED', 'ACTIVE', 'REJECTED', 'EXPIRED', 'SUSPENDED', 'BLOCKED', 'CLOSED',
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customers', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable().references('id').inTable('tenants').onDelete('RESTRICT');
    t.text('type').notNullable().checkIn(['INDIVIDUAL', 'ORGANIZATION'], 'customers_type_check');
    t.text('email').notNullable();
    t.text('first_name').notNullable();
    t.text('last_name').notNullable();
    t.text('phone');
    t.text('password_hash');
    t.text('status').notNullable().checkIn(STATUSES, 'customers_status_check');
    t.boolean('marketing_consent').notNullable().defaultTo(false);
    t.timestamp('terms_accepted_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id', 'status']);
  });
  // One customer per e-mail address per tenant, whatever the letter case: the database settles racing requests.
  await knex.raw('CREATE UNIQUE INDEX customers_tenant_email_unique ON customers (tenant_id, lower(email))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customers');
}
