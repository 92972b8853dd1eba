/**
 * The proof behind a contact verification. The API consumes a matching code by marking its row (it never
 * deletes it); the workflow asks here before it accepts "verified", so an update sent straight to Temporal,
 * without a code the customer typed, changes nothing. The code itself never reaches a workflow.
 */
import type { Knex } from '../common/db';
import type { CodeChannel } from './verification-codes';

export interface ContactProofInput {
  tenantId: string;
  customerId: string;
  channel: CodeChannel;
}

export function createContactProofActivities({ db }: { db: Knex }) {
  return {
    /** True when the channel's current code was matched at the API (and not replaced by a newer one since). */
    async hasConsumedCode({ tenantId, customerId, channel }: ContactProofInput): Promise<boolean> {
      const row = await db('verification_codes')
        .where({ tenant_id: tenantId, customer_id: customerId, channel })
        .whereNotNull('consumed_at')
        .first<{ channel: string } | undefined>('channel');
      return row !== undefined;
    },
  };
}
