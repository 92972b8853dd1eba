import type { Knex } from '../common/db';
import type { CustomerStatus } from '../common/statuses';

export interface RecordStatusInput {
  tenantId: string;
  customerId: string;
  status: CustomerStatus;
  reason: string;
}

export function createStatusActivities({ db }: { db: Knex }) {
  return {
    /** Moves the customer row to `status` and appends the history row, once: a retry finds it already there. */
    async recordStatus({ tenantId, customerId, status, reason }: RecordStatusInput): Promise<void> {
      await db.transaction(async (trx) => {
        const changed = await trx('customers')
          .where({ tenant_id: tenantId, id: customerId })
          .whereNot({ status })
          .update({ status, updated_at: trx.fn.now() }, ['id']);
        if (changed.length === 0) return;
        await trx('customer_status_history').insert({ tenant_id: tenantId, customer_id: customerId, status, reason });
      });
    },
  };
}
