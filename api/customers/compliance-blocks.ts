/**
 * Compliance blocks: a compliance officer blocks a customer (individual or organization) and is the only one who
 * lifts that block; the tenant's own status routes refuse to move a customer out of it (staff-status.ts). Each
 * change is one status history row naming the officer (from the session, never the body) and the reason.
 *
 * A block is a status after onboarding (ACTIVE or SUSPENDED, or a tenant's own block that compliance takes over):
 * the onboarding workflow has ended by then, so the change is the row's and its history's. A customer still
 * onboarding is stopped by its KYC/KYB decision instead.
 */
import { writeStatusChange, type BlockAuthority } from '../../activities/status';
import type { Knex } from '../../common/db';
import type { CustomerType } from '../../common/statuses';
import { actorLabel, assertTenantScope, type Actor } from '../auth/actor';
import { CustomerStatusError, NotFoundError } from '../http/errors';
import type { WebhookWake } from '../webhooks/outbox';

/** Statuses compliance may block from: after onboarding, and not closed. */
const BLOCKABLE: ReadonlySet<string> = new Set(['ACTIVE', 'SUSPENDED', 'BLOCKED']);

export interface ComplianceBlockView {
  customerId: string;
  customerType: CustomerType;
  status: string;
  blockedBy: BlockAuthority | null;
}

interface LockedCustomer {
  tenant_id: string;
  type: CustomerType;
  status: string;
  blocked_by: BlockAuthority | null;
}

export function createComplianceBlocks(db: Knex, webhookWake: WebhookWake) {
  /** Locks the customer named by its global id (staff name no tenant) for the change, within the staff member's reach. */
  async function lock(trx: Knex.Transaction, customerId: string, actor: Actor): Promise<LockedCustomer> {
    const row = await trx('customers').where({ id: customerId }).forUpdate().first<LockedCustomer | undefined>('tenant_id', 'type', 'status', 'blocked_by');
    if (!row) throw new NotFoundError('Customer not found');
    assertTenantScope(actor, row.tenant_id);
    return row;
  }

  async function change(customerId: string, actor: Actor, decide: (row: LockedCustomer) => { status: string; blockedBy?: BlockAuthority }, reason: string) {
    const { view, tenantId, subscriptionIds } = await db.transaction(async (trx) => {
      const row = await lock(trx, customerId, actor);
      const next = decide(row);
      const write = await writeStatusChange(trx, { tenantId: row.tenant_id, customerId, ...next, reason, actor: actorLabel(actor) });
      const view: ComplianceBlockView = { customerId, customerType: row.type, status: next.status, blockedBy: next.blockedBy ?? null };
      return { view, tenantId: row.tenant_id, subscriptionIds: write.subscriptionIds };
    });
    await webhookWake(tenantId, subscriptionIds);
    return view;
  }

  return {
    /** Blocks an active or suspended customer, or takes over the tenant's own block; refuses a second compliance block. */
    block: (customerId: string, reason: string, actor: Actor) =>
      change(customerId, actor, (row) => {
        if (row.blocked_by === 'COMPLIANCE') throw new CustomerStatusError('The customer is already blocked by compliance', row.status, row.blocked_by);
        if (!BLOCKABLE.has(row.status)) {
          throw new CustomerStatusError(`Cannot block a ${row.status} customer: only an active, suspended or blocked one`, row.status);
        }
        return { status: 'BLOCKED', blockedBy: 'COMPLIANCE' };
      }, reason),

    /** Lifts a compliance block: the customer is ACTIVE again. A tenant's own block is the tenant's to lift. */
    unblock: (customerId: string, reason: string, actor: Actor) =>
      change(customerId, actor, (row) => {
        if (row.blocked_by !== 'COMPLIANCE') {
          throw new CustomerStatusError('The customer is not blocked by compliance; there is no compliance block to lift', row.status, row.blocked_by);
        }
        return { status: 'ACTIVE' };
      }, reason),
  };
}

export type ComplianceBlocks = ReturnType<typeof createComplianceBlocks>;
