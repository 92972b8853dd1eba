/** A tenant's display name, for the labels staff read on its workflows in the Temporal UI (common/workflow-labels). */
import type { Knex } from '../../common/db';

export async function tenantNameOf(db: Knex, tenantId: string): Promise<string | undefined> {
  const row = await db('tenants').where({ id: tenantId }).first<{ name: string } | undefined>('name');
  return row?.name;
}
