import type { Knex } from 'knex';

/**
 * The pending password-reset code of a customer, as a keyed hash (the code exists only in the e-mail). Issued by
 * the reset workflow's activity, checked and consumed at the edge, removed by the workflow's timer. `issued_by`
 * names the workflow run that issued it, so a run's timer removes its own code and never a later run's.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_password_resets', (t) => {
    t.text('tenant_id').notNullable();
    t.text('customer_id').notNullable();
    t.text('code_hash').notNullable();
    t.text('issued_by').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'customer_id']);
    t.foreign(['tenant_id', 'customer_id'], 'customer_password_resets_tenant_customer_foreign')
      .references(['tenant_id', 'id'])
      .inTable('customers')
      .onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customer_password_resets');
}
