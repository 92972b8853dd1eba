/**
 * The one writer of a customer's status after its row exists: `customers.status` and the `customer_status_history`
 * row that records each change move together here, whoever asks (the individual's and the organization's
 * workflows through their activities, a tenant's staff through api/customers/staff-status.ts).
 */
import type { Knex } from '../common/db';
import type { CustomerStatus } from '../common/statuses';

export interface RecordStatusInput {
  tenantId: string;
  customerId: string;
  status: CustomerStatus;
  reason: string;
}

/**
 * Moves the row to `status` and appends its history row, inside the caller's transaction; a row already in that
 * status is left alone (so a retried activity writes once). Returns whether it changed.
 */
export async function writeStatusChange(
  trx: Knex.Transaction,
  { tenantId, customerId, status, reason }: { tenantId: string; customerId: string; status: string; reason: string },
): Promise<boolean> {
  const changed = await trx('customers')
    .where({ tenant_id: tenantId, id: customerId })
    .whereNot({ status })
    .update({ status, updated_at: trx.fn.now() }, ['id']);
  if (changed.length === 0) return false;
  await trx('customer_status_history').insert({ tenant_id: tenantId, customer_id: customerId, status, reason });
  return true;
}

export function createStatusActivities({ db }: { db: Knex }) {
  return {
    /** Moves the customer row to `status` and appends the history row, once: a retry finds it already there. */
    async recordStatus(input: RecordStatusInput): Promise<void> {
      await db.transaction((trx) => writeStatusChange(trx, input));
    },
  };
}
