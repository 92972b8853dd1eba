/**
 * Status changes a tenant's staff make after activation, for persons and organizations alike. The onboarding
 * workflow owns every status before ACTIVE and has ended by then, so the change is the row's and its history's.
 * A customer compliance has blocked is out of the tenant's reach: only a compliance officer lifts that block
 * (api/customers/compliance-blocks.ts).
 */
import { writeStatusChange } from '../../activities/status';
import type { Knex } from '../../common/db';
import type { CustomerType } from '../../common/statuses';
import type { WebhookWake } from '../webhooks/outbox';
import { CustomerStatusError, NotFoundError } from '../http/errors';
import { InvalidStateError } from '../onboarding/service';

export const STAFF_TRANSITIONS: Readonly<Record<string, readonly string[]>> = {
  ACTIVE: ['SUSPENDED', 'BLOCKED', 'CLOSED'],
  SUSPENDED: ['ACTIVE', 'BLOCKED', 'CLOSED'],
  BLOCKED: ['ACTIVE', 'CLOSED'],
};

const NOUN: Record<CustomerType, string> = { INDIVIDUAL: 'customer', ORGANIZATION: 'organization' };

/**
 * Locks the row, checks the transition, writes the status and its history row (with `actor`, the tenant
 * credential) in one transaction. `type` limits the change to that kind of customer: another kind is as missing
 * as another tenant's. The change's webhook events are recorded with it; their subscriptions are woken after the commit.
 */
export async function changeStatusByStaff(
  { db, webhookWake }: { db: Knex; webhookWake: WebhookWake },
  { tenantId, customerId, target, type, actor }: { tenantId: string; customerId: string; target: string; type?: CustomerType; actor: string },
): Promise<string> {
  const noun = type ? NOUN[type] : 'customer';
  const subscriptionIds = await db.transaction(async (trx) => {
    const row = await trx('customers')
      .where({ tenant_id: tenantId, id: customerId, ...(type ? { type } : {}) })
      .forUpdate()
      .first<{ status: string; blocked_by: string | null } | undefined>('status', 'blocked_by');
    if (!row) throw new NotFoundError(`${noun[0].toUpperCase()}${noun.slice(1)} not found`);
    if (row.blocked_by === 'COMPLIANCE') {
      throw new CustomerStatusError(`The ${noun} is blocked by compliance; only a compliance officer can lift the block`, row.status, row.blocked_by);
    }
    if (!(STAFF_TRANSITIONS[row.status] ?? []).includes(target)) {
      throw new InvalidStateError(`Cannot change a ${row.status} ${noun} to ${target}`, row.status, []);
    }
    // Through the status owner: no transition keeps the status it starts from, so this always writes.
    const write = await writeStatusChange(trx, { tenantId, customerId, status: target, reason: 'Changed by the tenant', actor, blockedBy: 'TENANT' });
    return write.subscriptionIds;
  });
  await webhookWake(tenantId, subscriptionIds);
  return target;
}
