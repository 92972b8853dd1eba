import type { Knex } from 'knex';

/**
 * A customer's TOTP second factor: the secret sealed (field encryption bound to the row), the last accepted time
 * step (replay protection), and the digests of the unused recovery codes. `enabled_at` null: enrolment started,
 * not yet confirmed with a first code.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_totp', (t) => {
    t.text('tenant_id').notNullable();
    t.text('customer_id').notNullable();
    t.text('secret_encrypted').notNullable();
    t.bigInteger('last_step');
    t.specificType('recovery_code_digests', 'text[]').notNullable().defaultTo('{}');
    t.timestamp('enabled_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'customer_id']);
    t.foreign(['tenant_id', 'customer_id'], 'customer_totp_tenant_customer_foreign')
      .references(['tenant_id', 'id'])
      .inTable('customers')
      .onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customer_totp');
}
