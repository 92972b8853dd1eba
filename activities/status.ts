/**
 * The one writer of a customer's status after its row exists: `customers.status` and the `customer_status_history`
 * row that records each change move together here, whoever asks (the individual's and the organization's
 * workflows through their activities, a tenant through api/customers/staff-status.ts, compliance staff through
 * api/customers/compliance-blocks.ts).
 */
import type { Knex } from '../common/db';
import type { CustomerStatus } from '../common/statuses';
import { stepSeconds } from './metrics';

export interface RecordStatusInput {
  tenantId: string;
  customerId: string;
  status: CustomerStatus;
  reason: string;
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
}

/**
 * Moves the row to `status` (and whose block it is) and appends its history row, inside the caller's transaction;
 * a row already there is left alone (so a retried activity writes once). Returns whether it changed.
 */
export async function writeStatusChange(trx: Knex.Transaction, { tenantId, customerId, status, reason, actor, blockedBy }: StatusChange): Promise<boolean> {
  const blocked_by = status === 'BLOCKED' ? (blockedBy ?? null) : null;
  const changed = await trx('customers')
    .where({ tenant_id: tenantId, id: customerId })
    .where((differs) => differs.whereNot({ status }).orWhereRaw('blocked_by IS DISTINCT FROM ?', [blocked_by]))
    .update({ status, blocked_by, updated_at: trx.fn.now() }, ['id']);
  if (changed.length === 0) return false;
  await trx('customer_status_history').insert({ tenant_id: tenantId, customer_id: customerId, status, reason, actor: actor ?? null });
  return true;
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

/** `writeStatusChange`, also answering how long the customer was in the status it left (undefined: nothing moved). */
export async function writeTimedStatusChange(trx: Knex.Transaction, change: StatusChange): Promise<StepTiming | undefined> {
  const previous: { status: string; seconds: number } | undefined = await trx('customer_status_history')
    .where({ tenant_id: change.tenantId, customer_id: change.customerId })
    .orderBy('id', 'desc')
    .first('status', trx.raw('extract(epoch from now() - created_at)::float8 as seconds'));
  const changed = await writeStatusChange(trx, change);
  return changed && previous ? { from: previous.status, to: change.status, seconds: Math.max(0, previous.seconds) } : undefined;
}

/** Call once the transaction that wrote the change has committed. */
export function observeStep(timing: StepTiming | undefined): void {
  if (timing) stepSeconds.observe({ from: timing.from, to: timing.to }, timing.seconds);
}

export function createStatusActivities({ db }: { db: Knex }) {
  return {
    /** Moves the customer row to `status` and appends the history row, once: a retry finds it already there. */
    async recordStatus(input: RecordStatusInput): Promise<void> {
      observeStep(await db.transaction((trx) => writeTimedStatusChange(trx, input)));
    },
  };
}
