/** Reads of `profile_changes` (written by activities/profile.ts): which fields changed, by whom, when; never values. */
import type { Knex } from '../../common/db';
import { NotFoundError } from '../http/errors';

export interface ProfileChangeView {
  fields: string[];
  source: 'PROFILE_UPDATE' | 'CONTACT_CHANGE';
  actor: string;
  changed_at: string;
}

/** Newest first; `cursor` is the `next_cursor` of the previous page. */
export async function listProfileChanges(db: Knex, tenantId: string, customerId: string, page: { cursor?: string; limit: number }) {
  const customer = await db('customers').where({ tenant_id: tenantId, id: customerId, type: 'INDIVIDUAL' }).first('id');
  if (!customer) throw new NotFoundError('Customer not found');
  const rows = await db('profile_changes')
    .where({ tenant_id: tenantId, customer_id: customerId })
    .modify((q) => (page.cursor ? q.where('id', '<', page.cursor) : q))
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .select<Array<{ id: string; fields: string[]; source: ProfileChangeView['source']; actor: string; created_at: Date }>>('id', 'fields', 'source', 'actor', 'created_at');
  const more = rows.length > page.limit;
  const shown = rows.slice(0, page.limit);
  return {
    data: shown.map((r): ProfileChangeView => ({ fields: r.fields, source: r.source, actor: r.actor, changed_at: r.created_at.toISOString() })),
    next_cursor: more ? String(shown.at(-1)!.id) : null,
  };
}
