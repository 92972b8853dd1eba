import type { Knex } from 'knex';

/**
 * Staff accounts (the back office). Not tenant-owned: staff work across tenants, except a TENANT_ADMIN, whose
 * account names exactly one tenant (and holds no other role). The password is an argon2id hash; the TOTP secret
 * is sealed (AES-GCM, bound to the account id). Until `totp_confirmed_at` is set the account cannot log in; until
 * then it is opened by a one-time setup token, of which only a SHA-256 digest is kept.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('staff_accounts', (t) => {
    t.text('id').primary();
    t.text('email').notNullable().unique({ indexName: 'staff_accounts_email_unique' });
    t.specificType('roles', 'text[]').notNullable();
    t.text('tenant_id').references('id').inTable('tenants').onDelete('RESTRICT');
    t.text('password_hash');
    t.text('totp_secret_sealed');
    t.bigInteger('totp_last_step');
    t.timestamp('totp_confirmed_at', { useTz: true });
    t.text('setup_token_digest').unique({ indexName: 'staff_accounts_setup_token_unique' });
    t.timestamp('setup_expires_at', { useTz: true });
    t.timestamp('disabled_at', { useTz: true });
    /** Null for the first account, which the platform token bootstraps. */
    t.text('created_by');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`alter table staff_accounts add constraint staff_accounts_email_lowercase check (email = lower(email))`);
  await knex.raw(`alter table staff_accounts add constraint staff_accounts_roles_check check (
    cardinality(roles) > 0 and roles <@ array['PLATFORM_ADMIN','COMPLIANCE_OFFICER','OPERATOR','AUDITOR','TENANT_ADMIN']::text[])`);
  await knex.raw(`alter table staff_accounts add constraint staff_accounts_tenant_admin_check check (
    case when 'TENANT_ADMIN' = any(roles) then tenant_id is not null and cardinality(roles) = 1 else tenant_id is null end)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('staff_accounts');
}
