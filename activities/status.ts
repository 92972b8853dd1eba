/**
 * The one writer of a customer's status after its row exists: `customers.status` and the `customer_status_history`
 * row that records each change move together here, whoever asks (the individual's and the organization's
 * workflows through their activities, a tenant through api/customers/staff-status.ts, compliance staff through
 * api/customers/compliance-blocks.ts). The change's webhook events (activities/customer-events.ts) are recorded
 * in the same transaction, so an event exists exactly when its change does; the caller wakes the returned
 * subscriptions after the commit.
 */
import type { Knex } from '../common/db';
import type { Requirements } from '../common/lifecycle';
import type { CustomerStatus, CustomerType } from '../common/statuses';
import { recordEvents } from '../api/webhooks/emit';
import type { WebhookWake } from '../api/webhooks/outbox';
import { requirementsEvent, statusEvents, type CustomerRef } from './customer-events';
import { stepSeconds } from './metrics';

export interface RecordStatusInput {
  tenantId: string;
  customerId: string;
  status: CustomerStatus;
  reason: string;
  /** What is due at the new status, when it changed with the move (one activity for both). */
  requirements?: Requirements;
}

export interface RecordRequirementsInput {
  tenantId: string;
  customerId: string;
  requirements: Requirements;
}

/** Whose block a BLOCKED customer is under: the tenant's own, or compliance's (which only a compliance officer lifts). */
export type BlockAuthority = 'TENANT' | 'COMPLIANCE';

export interface StatusChange {
  tenantId: string;
  customerId: string;
  status: string;
  reason: string;
  /** Who asked (api/auth/actor.ts `actorLabel`); absent when the onboarding workflow moves the customer. */
  actor?: string;
  /** Required with BLOCKED (the database refuses a BLOCKED row without it); cleared by any other status. */
  blockedBy?: BlockAuthority;
  /** The customer's requirements after the change; recorded as an event when they differ from the last one sent. */
  requirements?: Requirements;
}

export interface StatusWrite {
  /** The row moved (a retry finds it already there: false). */
  changed: boolean;
  /** Subscriptions owed the events this write recorded: wake them after the commit. */
  subscriptionIds: string[];
}

interface LockedCustomer {
  type: CustomerType;
  status: string;
  blocked_by: BlockAuthority | null;
}

/**
 * Moves the row to `status` (and whose block it is) and appends its history row, inside the caller's transaction;
 * a row already there is left alone (so a retried activity writes once and records no event again). The row is
 * locked first: the previous status the events report is the one this change replaced.
 */
export async function writeStatusChange(trx: Knex.Transaction, change: StatusChange): Promise<StatusWrite> {
  const { tenantId, customerId, status, reason, actor, blockedBy, requirements } = change;
  const current = await lockCustomer(trx, tenantId, customerId);
  if (!current) return { changed: false, subscriptionIds: [] };
  const ref: CustomerRef = { tenantId, customerId, customerType: current.type };
  const blocked_by = status === 'BLOCKED' ? (blockedBy ?? null) : null;
  const changed = current.status !== status || current.blocked_by !== blocked_by;
  if (changed) {
    await trx('customers').where({ tenant_id: tenantId, id: customerId }).update({ status, blocked_by, updated_at: trx.fn.now() });
    await trx('customer_status_history').insert({ tenant_id: tenantId, customer_id: customerId, status, reason, actor: actor ?? null });
  }
  // A block changing hands (the tenant's to compliance's) keeps the status the tenant sees: no status event.
  const events = current.status !== status ? statusEvents(ref, status, current.status) : [];
  if (requirements) events.push(...(await requirementsEvent(trx, ref, requirements)));
  return { changed, subscriptionIds: await recordEvents(trx, events) };
}

/**
 * Time spent per step, for /metrics: how long the customer stayed in the status a move leaves, from its last
 * history row to the new one (both stamped by PostgreSQL within one transaction, so the clocks agree). The caller
 * observes it after the commit, so a rolled-back or retried move is counted once.
 */
export interface StepTiming {
  from: string;
  to: string;
  seconds: number;
}

/** `writeStatusChange`, also answering how long the customer was in the status it left (no timing: nothing moved). */
export async function writeTimedStatusChange(trx: Knex.Transaction, change: StatusChange): Promise<StatusWrite & { timing?: StepTiming }> {
  const previous: { status: string; seconds: number } | undefined = await trx('customer_status_history')
    .where({ tenant_id: change.tenantId, customer_id: change.customerId })
    .orderBy('id', 'desc')
    .first('status', trx.raw('extract(epoch from now() - created_at)::float8 as seconds'));
  const write = await writeStatusChange(trx, change);
  const timing = write.changed && previous ? { from: previous.status, to: change.status, seconds: Math.max(0, previous.seconds) } : undefined;
  return { ...write, timing };
}

/** Call once the transaction that wrote the change has committed. */
export function observeStep(timing: StepTiming | undefined): void {
  if (timing) stepSeconds.observe({ from: timing.from, to: timing.to }, timing.seconds);
}

/** Records customer.requirements_changed when `requirements` differ from the last one sent; in the caller's transaction. */
export async function writeRequirements(trx: Knex.Transaction, tenantId: string, customerId: string, requirements: Requirements): Promise<string[]> {
  const current = await lockCustomer(trx, tenantId, customerId);
  if (!current) return [];
  return recordEvents(trx, await requirementsEvent(trx, { tenantId, customerId, customerType: current.type }, requirements));
}

function lockCustomer(trx: Knex.Transaction, tenantId: string, customerId: string): Promise<LockedCustomer | undefined> {
  return trx('customers').where({ tenant_id: tenantId, id: customerId }).forUpdate().first<LockedCustomer | undefined>('type', 'status', 'blocked_by');
}

export function createStatusActivities({ db, webhookWake }: { db: Knex; webhookWake: WebhookWake }) {
  return {
    /** Moves the customer row to `status` and appends the history row, once: a retry finds it already there. */
    async recordStatus(input: RecordStatusInput): Promise<void> {
      const { subscriptionIds, timing } = await db.transaction((trx) => writeTimedStatusChange(trx, input));
      observeStep(timing);
      await webhookWake(input.tenantId, subscriptionIds);
    },

    /** What is due changed without a status move: one customer.requirements_changed, unless already recorded. */
    async recordRequirements({ tenantId, customerId, requirements }: RecordRequirementsInput): Promise<void> {
      const subscriptionIds = await db.transaction((trx) => writeRequirements(trx, tenantId, customerId, requirements));
      await webhookWake(tenantId, subscriptionIds);
    },
  };
}
