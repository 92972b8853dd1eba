/**
 * A tenant's groups of customers: create, list, read, rename, delete. Every query is scoped to the tenant, and
 * another tenant's group answers as a missing one. The database settles name clashes (a unique index on the
 * lower-cased name), so two racing creations or renames to one name end in one group and one 409.
 */
import { randomBytes } from 'node:crypto';
import { isUniqueViolation, type Knex } from '../../common/db';
import { ConflictError, NotFoundError } from '../http/errors';
import { encodeGroupCursor, type CreateGroup, type GroupCursor, type GroupView, type UpdateGroup } from './schemas';

const NAME_UNIQUE = 'customer_groups_tenant_name_unique';

export interface GroupRow {
  id: string;
  name: string;
  description: string | null;
  member_count: number;
  created_at: Date;
  updated_at: Date;
}

export const groupNotFound = () => new NotFoundError('No such group for this tenant');

export function newGroupId(): string {
  return `grp_${randomBytes(12).toString('hex')}`;
}

export function groupViewOf(row: GroupRow): GroupView {
  return {
    group_id: row.id,
    name: row.name,
    description: row.description,
    member_count: Number(row.member_count),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** The group columns with its member count, for any query over `customer_groups as g`. */
export function groupColumns(db: Knex) {
  return [
    'g.id',
    'g.name',
    'g.description',
    'g.created_at',
    'g.updated_at',
    db.raw('(select count(*) from customer_group_members m where m.group_id = g.id)::int as member_count'),
  ];
}

const nameTaken = (name: string) => new ConflictError(`A group named "${name}" already exists`, [{ field: 'name', message: name }]);

/** LIKE's wildcards and escape character, matched literally. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export function createGroupService(db: Knex) {
  async function find(tenantId: string, groupId: string, trx: Knex | Knex.Transaction = db): Promise<GroupRow> {
    const row = await trx('customer_groups as g').where({ 'g.tenant_id': tenantId, 'g.id': groupId }).first<GroupRow | undefined>(groupColumns(db));
    if (!row) throw groupNotFound();
    return row;
  }

  /** Runs a write that sets a name; the unique index's refusal becomes the documented 409. */
  async function naming<T>(name: string | undefined, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (name !== undefined && isUniqueViolation(error, NAME_UNIQUE)) throw nameTaken(name);
      throw error;
    }
  }

  return {
    async create(tenantId: string, group: CreateGroup): Promise<GroupView> {
      const id = newGroupId();
      await naming(group.name, () => db('customer_groups').insert({ id, tenant_id: tenantId, name: group.name, description: group.description ?? null }));
      return groupViewOf(await find(tenantId, id));
    },

    async get(tenantId: string, groupId: string): Promise<GroupView> {
      return groupViewOf(await find(tenantId, groupId));
    },

    /** Groups by name (lower-cased by the database, which also compares the cursor), after the cursor's group; `namePrefix` narrows to names starting so. */
    async list(tenantId: string, query: { limit: number; cursor?: GroupCursor; namePrefix?: string }) {
      const rows = await db('customer_groups as g')
        .where('g.tenant_id', tenantId)
        .modify((q) => {
          if (query.namePrefix !== undefined) q.whereRaw("lower(g.name) like lower(?) || '%'", [escapeLike(query.namePrefix)]);
          if (query.cursor) q.whereRaw('(lower(g.name), g.id) > (?, ?)', [query.cursor.name, query.cursor.id]);
        })
        .orderByRaw('lower(g.name), g.id')
        .limit(query.limit + 1)
        .select<Array<GroupRow & { name_key: string }>>([...groupColumns(db), db.raw('lower(g.name) as name_key')]);
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        data: page.map(groupViewOf),
        next_cursor: rows.length > query.limit && last ? encodeGroupCursor({ name: last.name_key, id: last.id }) : null,
      };
    },

    async update(tenantId: string, groupId: string, change: UpdateGroup): Promise<GroupView> {
      const updated = await naming(change.name, () =>
        db('customer_groups')
          .where({ tenant_id: tenantId, id: groupId })
          .update({
            ...(change.name === undefined ? {} : { name: change.name }),
            ...(change.description === undefined ? {} : { description: change.description }),
            updated_at: db.fn.now(),
          }),
      );
      if (updated === 0) throw groupNotFound();
      return groupViewOf(await find(tenantId, groupId));
    },

    /**
     * Deletes a group; one with members only when `force` (its memberships go with it). The group row is locked
     * first, and adding members takes a share lock on it, so no member joins between the count and the delete.
     */
    async remove(tenantId: string, groupId: string, force: boolean): Promise<void> {
      await db.transaction(async (trx) => {
        const group = await trx('customer_groups').where({ tenant_id: tenantId, id: groupId }).forUpdate().first('id');
        if (!group) throw groupNotFound();
        const [{ count }] = await trx('customer_group_members').where({ tenant_id: tenantId, group_id: groupId }).count<{ count: string }[]>({ count: '*' });
        if (Number(count) > 0 && !force) {
          throw new ConflictError('The group has members: delete it with force=true, or remove them first', [{ field: 'member_count', message: String(count) }]);
        }
        await trx('customer_groups').where({ tenant_id: tenantId, id: groupId }).delete();
      });
    },
  };
}

export type GroupService = ReturnType<typeof createGroupService>;
