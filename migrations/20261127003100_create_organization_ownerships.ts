import type { Knex } from 'knex';

/**
 * Who holds what share: "owner holds percentage % of owned", where owned is the organization itself (NULL) or a
 * company party of the same organization. The database refuses a share outside (0, 100], a party owning itself and
 * a second live holding of the same thing; sums over 100 % and longer cycles are checked by the service under a
 * lock on the organization (common/ownership.ts). Ended holdings keep their row with removed_at.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organization_ownerships', (t) => {
    t.bigIncrements('id').primary();
    t.text('tenant_id').notNullable();
    t.text('organization_id').notNullable();
    t.text('owner_party_id').notNullable();
    t.text('owned_party_id');
    t.decimal('percentage', 5, 2).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('removed_at', { useTz: true });
    t.foreign(['tenant_id', 'organization_id'], 'organization_ownerships_tenant_organization_foreign')
      .references(['tenant_id', 'id'])
      .inTable('customers')
      .onDelete('CASCADE');
    t.foreign(['tenant_id', 'organization_id', 'owner_party_id'], 'organization_ownerships_owner_foreign')
      .references(['tenant_id', 'organization_id', 'id'])
      .inTable('organization_parties')
      .onDelete('CASCADE');
    t.foreign(['tenant_id', 'organization_id', 'owned_party_id'], 'organization_ownerships_owned_foreign')
      .references(['tenant_id', 'organization_id', 'id'])
      .inTable('organization_parties')
      .onDelete('CASCADE');
    t.index(['tenant_id', 'organization_id']);
  });
  await knex.raw('ALTER TABLE organization_ownerships ADD CONSTRAINT organization_ownerships_percentage_check CHECK (percentage > 0 AND percentage <= 100)');
  await knex.raw('ALTER TABLE organization_ownerships ADD CONSTRAINT organization_ownerships_not_self_check CHECK (owner_party_id IS DISTINCT FROM owned_party_id)');
  await knex.raw(`CREATE UNIQUE INDEX organization_ownerships_live_unique ON organization_ownerships
    (tenant_id, organization_id, owner_party_id, coalesce(owned_party_id, '')) WHERE removed_at IS NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('organization_ownerships');
}
