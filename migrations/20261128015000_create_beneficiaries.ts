import type { Knex } from 'knex';

/**
 * A customer's payment recipients. The account (an IBAN, or an account number with its routing code) is stored
 * sealed (`account_sealed`, FieldCipher purpose `beneficiary-accounts`) beside a masked form for answers and a
 * keyed fingerprint (HMAC of the normalised account) on which the database refuses a customer's duplicates, so the
 * index never holds the number in plain. A DELETED row is kept for the record and frees its account again.
 * The pending confirmation code lives on the row as a keyed hash with its wrong-guess count and resends.
 */
const STATUSES = ['PENDING_CONFIRMATION', 'ACTIVE', 'EXPIRED', 'FAILED', 'DELETED'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('beneficiaries', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable();
    t.text('customer_id').notNullable();
    t.text('name').notNullable();
    t.text('nickname');
    t.specificType('country', 'char(3)').notNullable();
    t.specificType('currency', 'char(3)').notNullable();
    t.text('bic');
    t.text('account_type').notNullable().checkIn(['IBAN', 'ACCOUNT_NUMBER'], 'beneficiaries_account_type_check');
    t.text('account_sealed').notNullable();
    t.text('account_masked').notNullable();
    t.text('routing_code');
    t.text('fingerprint').notNullable();
    t.text('status').notNullable().checkIn(STATUSES, 'beneficiaries_status_check');
    t.text('confirmation_channel').notNullable().checkIn(['EMAIL', 'SMS'], 'beneficiaries_confirmation_channel_check');
    t.timestamp('confirmation_expires_at', { useTz: true }).notNullable();
    t.text('code_hash');
    t.integer('code_attempts').notNullable().defaultTo(0);
    /** When the latest code was asked for (the add, or a resend): the resend cooldown counts from it. */
    t.timestamp('code_requested_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('code_resends').notNullable().defaultTo(0);
    t.timestamp('confirmed_at', { useTz: true });
    t.timestamp('deleted_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.foreign(['tenant_id', 'customer_id'], 'beneficiaries_tenant_customer_foreign').references(['tenant_id', 'id']).inTable('customers').onDelete('CASCADE');
    t.check("(status = 'ACTIVE') = (confirmed_at IS NOT NULL) OR status = 'DELETED'", [], 'beneficiaries_confirmed_check');
    t.check("(status = 'DELETED') = (deleted_at IS NOT NULL)", [], 'beneficiaries_deleted_check');
    t.check("routing_code IS NULL OR account_type = 'ACCOUNT_NUMBER'", [], 'beneficiaries_routing_check');
    t.check('code_attempts >= 0 AND code_attempts <= 5', [], 'beneficiaries_code_attempts_check');
    t.check('code_resends >= 0 AND code_resends <= 3', [], 'beneficiaries_code_resends_check');
  });
  // A customer's listing, newest first, is the one read path.
  await knex.raw('CREATE INDEX beneficiaries_customer_listing ON beneficiaries (tenant_id, customer_id, created_at DESC, id DESC)');
  await knex.raw("CREATE UNIQUE INDEX beneficiaries_account_unique ON beneficiaries (tenant_id, customer_id, fingerprint) WHERE status <> 'DELETED'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('beneficiaries');
}
