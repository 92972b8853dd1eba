import type { Knex } from 'knex';

/** A staff member's single-use recovery codes: SHA-256 digests only (each code carries 80 random bits). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('staff_recovery_codes', (t) => {
    t.text('account_id').notNullable().references('id').inTable('staff_accounts').onDelete('CASCADE');
    t.text('digest').notNullable();
    t.timestamp('used_at', { useTz: true });
    t.primary(['account_id', 'digest']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('staff_recovery_codes');
}
