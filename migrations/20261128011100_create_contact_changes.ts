import type { Knex } from 'knex';

/**
 * A new e-mail address or phone number an active customer asked for, waiting for the code sent to it. The code is a
 * keyed hash (the code itself exists only in the message); `old_value` is written when the change is applied, so
 * the old contact can be told. At most one pending change per customer and channel: a new request replaces it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('contact_changes', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable();
    t.text('customer_id').notNullable();
    t.text('channel').notNullable();
    t.text('new_value').notNullable();
    t.text('old_value');
    t.text('code_hash');
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('status').notNullable().defaultTo('PENDING_VERIFICATION');
    t.text('actor').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('verified_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.foreign(['tenant_id', 'customer_id'], 'contact_changes_tenant_customer_foreign').references(['tenant_id', 'id']).inTable('customers').onDelete('CASCADE');
  });
  await knex.raw(`alter table contact_changes add constraint contact_changes_channel_check check (channel in ('EMAIL', 'PHONE'))`);
  await knex.raw(
    `alter table contact_changes add constraint contact_changes_status_check
       check (status in ('PENDING_VERIFICATION', 'COMPLETED', 'EXPIRED', 'CANCELLED', 'FAILED'))`,
  );
  await knex.raw(`alter table contact_changes add constraint contact_changes_attempts_check check (attempts between 0 and 5)`);
  await knex.raw(
    `create unique index contact_changes_one_pending on contact_changes (tenant_id, customer_id, channel) where status = 'PENDING_VERIFICATION'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('contact_changes');
}
