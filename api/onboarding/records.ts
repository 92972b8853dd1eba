/**
 * Reads of what an onboarding recorded, for the routes: the consents a customer gave, and which tenant a customer
 * belongs to (staff routes name a customer without a tenant), and the status and verification history.
 */
import type { Knex } from '../../common/db';
import type { ConsentRow } from '../../activities/consents';
import { consentView, type ConsentView } from '../preferences/consents';
import type { CustomerType } from '../../common/statuses';
import { NotFoundError } from '../http/errors';
import { staffVerificationHistory, tenantVerificationHistory } from '../customers/verification-history';

export function createOnboardingRecords(db: Knex) {
  return {
    /** Newest first, withdrawn ones too (with when, by whom and why): a withdrawal keeps the record. */
    async consents(tenantId: string, customerId: string): Promise<ConsentView[]> {
      const rows: ConsentRow[] = await db('consents').where({ tenant_id: tenantId, customer_id: customerId }).orderBy([{ column: 'accepted_at', order: 'desc' }, { column: 'id', order: 'desc' }]);
      return rows.map(consentView);
    },

    /** Statuses only: reasons may carry a provider's finding or a reviewer's note (tipping-off risk). */
    async statusHistory(tenantId: string, customerId: string): Promise<Array<{ status: string; at: string | null }>> {
      return (await tenantVerificationHistory(db, tenantId, customerId)).statuses;
    },

    /** Statuses and verification outcomes as the tenant may see them (GET /v2/verification-history). */
    verificationHistory: (tenantId: string, customerId: string) => tenantVerificationHistory(db, tenantId, customerId),

    /** The same with every reason and reviewer, for platform staff only. */
    staffVerificationHistory: (tenantId: string, customerId: string) => staffVerificationHistory(db, tenantId, customerId),

    /** For platform staff only: every other read names the tenant from the caller's credential. */
    async tenantOfCustomer(customerId: string): Promise<string> {
      const customer = await db('customers').where({ id: customerId }).first<{ tenant_id: string } | undefined>('tenant_id');
      if (!customer) throw new NotFoundError('Customer not found');
      return customer.tenant_id;
    },
  };
}

export type OnboardingRecords = ReturnType<typeof createOnboardingRecords>;

/** A customer's (or organization's) tenant, type and status, for the back office's case rules; undefined when unknown. */
export async function customerCaseState(db: Knex, customerId: string): Promise<{ tenantId: string; type: CustomerType; status: string } | undefined> {
  const row = await db('customers').where({ id: customerId }).first<{ tenant_id: string; type: CustomerType; status: string } | undefined>('tenant_id', 'type', 'status');
  return row && { tenantId: row.tenant_id, type: row.type, status: row.status };
}
