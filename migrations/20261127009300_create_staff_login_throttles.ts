import type { Knex } from 'knex';

/**
 * Failed staff logins, per key: `email:<sha256 of the address>` (whether or not an account has it, so a lockout
 * does not reveal which addresses exist) and `ip:<address>`. Past the threshold a key is locked, for a time
 * that doubles with each further failure up to a ceiling; a successful login clears its e-mail key.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('staff_login_throttles', (t) => {
    t.text('key').primary();
    t.integer('failures').notNullable().defaultTo(0);
    t.timestamp('locked_until', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('staff_login_throttles');
}
