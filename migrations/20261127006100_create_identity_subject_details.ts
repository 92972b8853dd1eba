import type { Knex } from 'knex';

/**
 * What a person supplied for their identity check when the tenant had not sent it (date of birth, nationality,
 * address …), and the invitation that asked them for it. The details are one encrypted JSON value bound to the
 * row; the invitation code is kept only as a keyed hash.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('identity_subject_details', (t) => {
    t.text('tenant_id').notNullable();
    t.text('customer_id').notNullable();
    t.text('subject_id').notNullable();
    t.text('subject_type').notNullable().checkIn(['CUSTOMER', 'PARTY'], 'identity_subject_details_subject_type_check');
    t.text('details_encrypted');
    t.timestamp('supplied_at', { useTz: true });
    t.text('invitation_code_hash');
    t.timestamp('invitation_expires_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'customer_id', 'subject_id']);
    t.foreign(['tenant_id', 'customer_id'], 'identity_subject_details_tenant_customer_foreign')
      .references(['tenant_id', 'id'])
      .inTable('customers')
      .onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('identity_subject_details');
}
