/**
 * The tenant's register of third-party providers. A TPP no longer ACTIVE has its grants refused at once (the
 * authorization check reads its status on every call); revoking it, which is final, also revokes its live grants
 * in the same transaction, and their workflows are told after the commit (consents.ts `stopWorkflows`).
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from '../../common/db';
import { ConflictError, NotFoundError } from '../http/errors';
import { afterCursor, createdKey, pageOf } from './cursor';
import type { RegisterTpp, TppRole, TppStatus, TppView, UpdateTpp } from './schemas';

const UNIQUE_VIOLATION = '23505';
const newTppId = () => `tpp_${randomBytes(12).toString('hex')}`;

interface TppRow {
  id: string;
  name: string;
  authorisation_number: string;
  competent_authority: string | null;
  country: string;
  roles: TppRole[];
  status: TppStatus;
  created_at: Date;
  updated_at: Date;
}

const view = (row: TppRow): TppView => ({
  id: row.id,
  name: row.name,
  authorisation_number: row.authorisation_number,
  competent_authority: row.competent_authority,
  country: row.country,
  roles: row.roles,
  status: row.status,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

const COLUMNS = ['id', 'name', 'authorisation_number', 'competent_authority', 'country', 'roles', 'status', 'created_at', 'updated_at'];
const duplicate = () => new ConflictError('A TPP with this authorisation number is already registered');

export interface TppRegistryDeps {
  db: Knex;
  /** Revokes the TPP's live grants inside the revoking transaction; returns their ids, whose workflows are then told. */
  revokeGrantsOf(trx: Knex.Transaction, tenantId: string, tppId: string): Promise<string[]>;
  stopWorkflows(tenantId: string, consentIds: string[]): Promise<void>;
}

export function createTppRegistry({ db, revokeGrantsOf, stopWorkflows }: TppRegistryDeps) {
  async function get(tenantId: string, tppId: string): Promise<TppView> {
    const row = await db('tpps').where({ tenant_id: tenantId, id: tppId }).first<TppRow | undefined>(COLUMNS);
    if (!row) throw new NotFoundError('TPP not found');
    return view(row);
  }

  return {
    get,

    async register(tenantId: string, body: RegisterTpp): Promise<TppView> {
      try {
        const [row] = await db('tpps')
          .insert({ id: newTppId(), tenant_id: tenantId, ...body, competent_authority: body.competent_authority ?? null })
          .returning<TppRow[]>(COLUMNS);
        return view(row!);
      } catch (error) {
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw duplicate();
        throw error;
      }
    },

    async list(tenantId: string, filters: { status?: TppStatus; role?: TppRole; cursor?: string; limit: number }) {
      const query = db('tpps').where({ tenant_id: tenantId }).select<Array<TppRow & { created_key: string }>>([...COLUMNS, createdKey(db, 'created_at')]);
      if (filters.status) query.where({ status: filters.status });
      if (filters.role) query.whereRaw('roles @> array[?]::text[]', [filters.role]);
      afterCursor(query, filters.cursor, 'created_at', 'id');
      const rows = await query.orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(filters.limit + 1);
      return pageOf(rows, filters.limit, view);
    },

    /** REVOKED is final: a revoked TPP takes no further change (409). Revoking revokes its live grants with it. */
    async update(tenantId: string, tppId: string, change: UpdateTpp): Promise<TppView> {
      const { row, revokedGrants } = await db.transaction(async (trx) => {
        const current = await trx('tpps').where({ tenant_id: tenantId, id: tppId }).forUpdate().first<TppRow | undefined>(COLUMNS);
        if (!current) throw new NotFoundError('TPP not found');
        if (current.status === 'REVOKED') throw new ConflictError('The TPP is REVOKED, which is final');
        const [updated] = await trx('tpps')
          .where({ tenant_id: tenantId, id: tppId })
          .update({ ...change, updated_at: trx.fn.now() })
          .returning<TppRow[]>(COLUMNS);
        const revoked = change.status === 'REVOKED' ? await revokeGrantsOf(trx, tenantId, tppId) : [];
        return { row: updated!, revokedGrants: revoked };
      });
      await stopWorkflows(tenantId, revokedGrants);
      return view(row);
    },
  };
}

export type TppRegistry = ReturnType<typeof createTppRegistry>;
