import type { Knex } from 'knex';

/**
 * Whose block a BLOCKED customer is under: the tenant's own (TENANT), which the tenant may lift, or compliance's
 * (COMPLIANCE), which only a compliance officer lifts. Set exactly while the status is BLOCKED. Blocks from
 * before this column were all the tenant's: only the tenant's status routes could block.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (t) => {
    t.text('blocked_by');
  });
  await knex('customers').where({ status: 'BLOCKED' }).update({ blocked_by: 'TENANT' });
  // CASE, not AND/OR: a NULL comparison would leave the check unknown, and CHECK lets unknown through.
  await knex.raw(`ALTER TABLE customers ADD CONSTRAINT customers_blocked_by_check CHECK (
    CASE WHEN status = 'BLOCKED' THEN coalesce(blocked_by IN ('TENANT', 'COMPLIANCE'), false) ELSE blocked_by IS NULL END)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE customers DROP CONSTRAINT customers_blocked_by_check');
  await knex.schema.alterTable('customers', (t) => {
    t.dropColumn('blocked_by');
  });
}
