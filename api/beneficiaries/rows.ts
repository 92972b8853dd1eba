/** The `beneficiaries` rows of one customer as the service reads them, and the answer made of a row. */
import type { Knex } from '../../common/db';
import { NotFoundError } from '../http/errors';
import type { BeneficiaryStatus, BeneficiaryView } from './schemas';

export interface BeneficiaryRow {
  id: string;
  tenant_id: string;
  customer_id: string;
  name: string;
  nickname: string | null;
  country: string;
  currency: string;
  bic: string | null;
  account_type: 'IBAN' | 'ACCOUNT_NUMBER';
  account_masked: string;
  routing_code: string | null;
  status: BeneficiaryStatus;
  confirmation_channel: 'EMAIL' | 'SMS';
  confirmation_expires_at: Date;
  code_hash: string | null;
  code_attempts: number;
  confirmed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The answer: the masked account only (the sealed one is never read here). */
export function viewOf(row: BeneficiaryRow): BeneficiaryView {
  return {
    id: row.id,
    customer_id: row.customer_id,
    name: row.name,
    nickname: row.nickname,
    country: row.country,
    currency: row.currency,
    bic: row.bic,
    account_type: row.account_type,
    account_masked: row.account_masked,
    routing_code: row.routing_code,
    status: row.status,
    confirmation_channel: row.confirmation_channel,
    confirmation_expires_at: row.confirmation_expires_at.toISOString(),
    confirmed_at: row.confirmed_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

const VIEW_COLUMNS = [
  'id', 'tenant_id', 'customer_id', 'name', 'nickname', 'country', 'currency', 'bic', 'account_type', 'account_masked', 'routing_code',
  'status', 'confirmation_channel', 'confirmation_expires_at', 'code_hash', 'code_attempts', 'confirmed_at', 'created_at', 'updated_at',
];

export function beneficiaryRows(db: Knex) {
  /** A customer's beneficiary that is not deleted: a deleted one is gone for every route. */
  const liveQuery = (tenantId: string, customerId: string, beneficiaryId: string, q: Knex = db) =>
    q('beneficiaries').where({ tenant_id: tenantId, customer_id: customerId, id: beneficiaryId }).whereNot({ status: 'DELETED' });

  return {
    liveQuery,

    async live(tenantId: string, customerId: string, beneficiaryId: string): Promise<BeneficiaryRow> {
      const row = await liveQuery(tenantId, customerId, beneficiaryId).first<BeneficiaryRow | undefined>(VIEW_COLUMNS);
      if (!row) throw new NotFoundError('Beneficiary not found');
      return row;
    },

    /**
     * Newest first, `limit + 1` rows (the extra one says whether there is a next page). A cursor is the last id
     * of the previous page; one that is not this customer's listed beneficiary gives `undefined`.
     */
    async page(tenantId: string, customerId: string, { status, cursor, limit }: { status?: BeneficiaryStatus; cursor?: string; limit: number }) {
      const mine = { tenant_id: tenantId, customer_id: customerId };
      const query = db('beneficiaries').where(mine).whereNot({ status: 'DELETED' }).select(VIEW_COLUMNS);
      if (status) query.andWhere({ status });
      if (cursor) {
        const after = await db('beneficiaries').where({ ...mine, id: cursor }).first<{ created_at: Date } | undefined>('created_at');
        if (!after) return undefined;
        // The position is compared in the database, to the microsecond the row holds.
        query.andWhereRaw('(created_at, id) < (SELECT created_at, id FROM beneficiaries WHERE tenant_id = ? AND customer_id = ? AND id = ?)', [tenantId, customerId, cursor]);
      }
      return query.orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit + 1) as Promise<BeneficiaryRow[]>;
    },
  };
}
