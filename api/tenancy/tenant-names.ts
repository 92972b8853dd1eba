/** A tenant's display name, for the labels staff read on its workflows in the Temporal UI (common/workflow-labels). */
import type { Knex } from '../../common/db';

export async function tenantNameOf(db: Knex, tenantId: string): Promise<string | undefined> {
  const row = await db('tenants').where({ id: tenantId }).first<{ name: string } | undefined>('name');
  return row?.name;
}

/** These tenants' display names, by id: labels for staff lists that span tenants. */
export async function tenantNamesOf(db: Knex, tenantIds: readonly string[]): Promise<Map<string, string>> {
  if (tenantIds.length === 0) return new Map();
  const rows = await db('tenants').whereIn('id', [...new Set(tenantIds)]).select<Array<{ id: string; name: string }>>('id', 'name');
  return new Map(rows.map((row) => [row.id, row.name]));
}
