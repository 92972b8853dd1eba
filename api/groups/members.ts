/**
 * Who is in a tenant's groups: add members (all or nothing), remove one, list a group's members and a customer's
 * groups. A customer of another tenant, like a missing one, is a 404. Adding is idempotent per member: the unique
 * (group, customer) key with ON CONFLICT DO NOTHING lets two parallel adds of one member both succeed, one adding
 * and the other finding it there.
 */
import type { Knex } from '../../common/db';
import { NotFoundError } from '../http/errors';
import type { CustomerGroupView, MemberView } from './schemas';
import { groupColumns, groupNotFound, groupViewOf, type GroupRow } from './service';

export type CustomerType = 'INDIVIDUAL' | 'ORGANIZATION';

interface MemberRow {
  id: string;
  customer_id: string;
  type: CustomerType;
  status: string;
  first_name: string;
  last_name: string;
  business_name: string | null;
  added_at: Date;
}

export interface AddMembers {
  customerIds: string[];
  /** The kinds of customer the tenant may put in a group now (its capabilities: SCT01 individuals, SCT02 organizations). */
  memberTypes: readonly CustomerType[];
  /** Who adds them (actorLabel), recorded on each new membership. */
  addedBy: string;
}

interface Paging {
  limit: number;
  /** The last membership row of the previous page. */
  cursor?: string;
}

/** One page of `limit` rows (one more was read to know whether another page follows), cursored by membership row. */
function pageOf<R, V>(rows: R[], limit: number, view: (row: R) => V, membershipOf: (row: R) => string) {
  const page = rows.slice(0, limit);
  return { data: page.map(view), next_cursor: rows.length > limit ? String(membershipOf(page.at(-1)!)) : null };
}

const memberViewOf = (row: MemberRow): MemberView => ({
  customer_id: row.customer_id,
  customer_type: row.type,
  status: row.status,
  first_name: row.first_name,
  last_name: row.last_name,
  business_name: row.business_name,
  added_at: row.added_at.toISOString(),
});

export function createMembershipService(db: Knex) {
  async function assertGroup(tenantId: string, groupId: string, trx: Knex | Knex.Transaction = db, lock = false): Promise<void> {
    const query = trx('customer_groups').where({ tenant_id: tenantId, id: groupId });
    // A share lock: adds run in parallel with each other, but never between a delete's member count and its delete.
    const group = await (lock ? query.forShare() : query).first('id');
    if (!group) throw groupNotFound();
  }

  return {
    /**
     * Adds every customer or none: an id that is not one of the tenant's customers of an allowed kind fails the
     * whole call with a 404 naming each such id by its place in the list. Rows are inserted in id order, so two
     * overlapping adds lock the same keys in the same order and never deadlock.
     */
    async add(tenantId: string, groupId: string, { customerIds, memberTypes, addedBy }: AddMembers) {
      const requested = [...new Set(customerIds)];
      return db.transaction(async (trx) => {
        await assertGroup(tenantId, groupId, trx, true);
        // Key-share locked, as the foreign key would: a customer deleted meanwhile waits, rather than failing the insert.
        const found = new Set(
          (await trx('customers').where({ tenant_id: tenantId }).whereIn('id', requested).whereIn('type', memberTypes).forKeyShare().pluck('id')) as string[],
        );
        const missing = customerIds.flatMap((id, index) => (found.has(id) ? [] : [{ field: `customer_ids.${index}`, message: id }]));
        if (missing.length > 0) throw new NotFoundError('No such customer for this tenant: nothing was added', missing);
        const inserted = (await trx('customer_group_members')
          .insert([...requested].sort().map((customerId) => ({ tenant_id: tenantId, group_id: groupId, customer_id: customerId, added_by: addedBy })))
          .onConflict(['group_id', 'customer_id'])
          .ignore()
          .returning('customer_id')) as Array<{ customer_id: string }>;
        const added = new Set(inserted.map((row) => row.customer_id));
        return { added: requested.filter((id) => added.has(id)), already_members: requested.filter((id) => !added.has(id)) };
      });
    },

    async remove(tenantId: string, groupId: string, customerId: string): Promise<void> {
      await assertGroup(tenantId, groupId);
      const removed = await db('customer_group_members').where({ tenant_id: tenantId, group_id: groupId, customer_id: customerId }).delete();
      if (removed === 0) throw new NotFoundError('The customer is not a member of this group');
    },

    /** A group's members in the order they were added. */
    async members(tenantId: string, groupId: string, { limit, cursor }: Paging) {
      await assertGroup(tenantId, groupId);
      const rows = await db('customer_group_members as m')
        .join('customers as c', (on) => on.on('c.tenant_id', 'm.tenant_id').andOn('c.id', 'm.customer_id'))
        .leftJoin('organization_profiles as o', (on) => on.on('o.tenant_id', 'm.tenant_id').andOn('o.customer_id', 'm.customer_id'))
        .where({ 'm.tenant_id': tenantId, 'm.group_id': groupId })
        .modify((q) => (cursor ? q.where('m.id', '>', cursor) : q))
        .orderBy('m.id')
        .limit(limit + 1)
        .select<MemberRow[]>('m.id', 'm.customer_id', 'c.type', 'c.status', 'c.first_name', 'c.last_name', 'o.business_name', 'm.added_at');
      return pageOf(rows, limit, memberViewOf, (row) => row.id);
    },

    /** The groups a customer of the tenant is in, in the order they joined them. */
    async groupsOf(tenantId: string, customerId: string, { limit, cursor }: Paging) {
      const customer = await db('customers').where({ tenant_id: tenantId, id: customerId }).first('id');
      if (!customer) throw new NotFoundError('No such customer for this tenant');
      const rows = await db('customer_group_members as cm')
        .join('customer_groups as g', (on) => on.on('g.tenant_id', 'cm.tenant_id').andOn('g.id', 'cm.group_id'))
        .where({ 'cm.tenant_id': tenantId, 'cm.customer_id': customerId })
        .modify((q) => (cursor ? q.where('cm.id', '>', cursor) : q))
        .orderBy('cm.id')
        .limit(limit + 1)
        .select<Array<GroupRow & { membership_id: string; added_at: Date }>>([...groupColumns(db), 'cm.id as membership_id', 'cm.added_at']);
      const view = (row: (typeof rows)[number]): CustomerGroupView => ({ ...groupViewOf(row), added_at: row.added_at.toISOString() });
      return pageOf(rows, limit, view, (row) => row.membership_id);
    },
  };
}

export type MembershipService = ReturnType<typeof createMembershipService>;

/**
 * The kinds of customer a tenant may put in a group: those its capabilities serve (SCT01 individuals, SCT02
 * organizations). An organization named by a tenant without SCT02 (one that held it once) is a 404 like a missing
 * customer; memberships made while it held SCT02 stay, and are listed and removable.
 */
export function memberTypesFor(capabilities: readonly string[]): CustomerType[] {
  return [...(capabilities.includes('SCT01') ? ['INDIVIDUAL' as const] : []), ...(capabilities.includes('SCT02') ? ['ORGANIZATION' as const] : [])];
}
