/**
 * An active customer's new e-mail address or phone number, confirmed by a code sent to it before it replaces the
 * old one (workflows/contact-change.ts). Here at the edge: the request's rules (a different value, an address no
 * other customer of the tenant has), the row in `contact_changes`, the code check (like a password reset's, so
 * the code never enters a workflow) and the messages to the workflow. PUT /v2/profile starts changes through
 * `request` too.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { contactChangeCodeHash } from '../../activities/contact-change';
import {
  CONTACT_CHANGE_WORKFLOW,
  contactChangeStoppedSignal,
  contactChangeWorkflowId,
  contactCodeConfirmedUpdate,
  type ContactChangeInput,
  type ContactChangeStatus,
  type ContactChannel,
} from '../../common/contact-change-contract';
import type { Knex } from '../../common/db';
import { ConflictError, CustomerStatusError, NotFoundError, ServiceUnavailableError, ValidationError } from '../http/errors';
import { isTemporalOutage } from '../onboarding/service';
import { temporalDeadline } from '../onboarding/temporal-deadline';

/** Wrong codes one change takes; the fifth ends it (FAILED). */
export const MAX_CODE_ATTEMPTS = 5;
const FIELD = { EMAIL: 'email', PHONE: 'phone' } as const;
const WHAT = { EMAIL: 'e-mail address', PHONE: 'phone number' } as const;

export interface ContactChangeDeps {
  db: Knex;
  temporal: Client;
  taskQueue: string;
  codeHashKey: Buffer;
  codeTtlMinutes: number;
  callTimeoutMs: number;
}

interface ChangeRow {
  id: string;
  channel: ContactChannel;
  status: ContactChangeStatus;
  code_hash: string | null;
  attempts: number;
  expires_at: Date;
  created_at: Date;
  updated_at: Date;
}

export interface ContactChangeView {
  change_id: string;
  channel: ContactChannel;
  status: ContactChangeStatus;
  expires_at: string;
  created_at: string;
  updated_at: string;
}

const viewOf = (row: ChangeRow): ContactChangeView => ({
  change_id: row.id,
  channel: row.channel,
  status: row.status,
  expires_at: row.expires_at.toISOString(),
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

export function createContactChanges({ db, temporal, taskQueue, codeHashKey, codeTtlMinutes, callTimeoutMs }: ContactChangeDeps) {
  const withDeadline = temporalDeadline(temporal, callTimeoutMs);
  const handle = (tenantId: string, customerId: string, channel: ContactChannel) => temporal.workflow.getHandle(contactChangeWorkflowId(tenantId, customerId, channel));
  const wrongCode = (ended: boolean) =>
    new ValidationError([{ field: 'code', message: ended ? 'The code is not correct; too many wrong codes ended this change, request a new one' : 'The code is not correct' }], 'Verification failed');

  async function lockedCustomer(trx: Knex, tenantId: string, customerId: string) {
    const customer = await trx('customers')
      .where({ tenant_id: tenantId, id: customerId, type: 'INDIVIDUAL' })
      .forUpdate()
      .first<{ status: string; email: string; phone: string | null } | undefined>('status', 'email', 'phone');
    if (!customer) throw new NotFoundError('Customer not found');
    return customer;
  }

  async function lockedChange(trx: Knex, tenantId: string, customerId: string, changeId: string) {
    const row = await trx('contact_changes').where({ tenant_id: tenantId, customer_id: customerId, id: changeId }).forUpdate().first<ChangeRow | undefined>();
    if (!row) throw new NotFoundError('Contact change not found');
    return row;
  }

  const notPending = (row: ChangeRow) => new ConflictError(`The contact change is ${row.status}; request a new one`);

  /** The request's rules on the customer as locked: ACTIVE, a value other than the current one, an address nobody else has. */
  async function check(trx: Knex, tenantId: string, customerId: string, channel: ContactChannel, value: string) {
    const customer = await lockedCustomer(trx, tenantId, customerId);
    if (customer.status !== 'ACTIVE') throw new CustomerStatusError(`Only an ACTIVE customer's contact details change this way; the customer is ${customer.status}`, customer.status);
    const field = FIELD[channel];
    if (customer[field]?.toLowerCase() === value.toLowerCase()) throw new ValidationError([{ field, message: `Must differ from the current ${WHAT[channel]}` }]);
    if (channel === 'EMAIL') {
      const taken = await trx('customers').where({ tenant_id: tenantId }).whereNot({ id: customerId }).whereRaw('lower(email) = lower(?)', [value]).first('id');
      if (taken) throw new ValidationError([{ field: 'email', message: 'Email address is already registered' }]);
    }
  }

  async function stop(tenantId: string, customerId: string, channel: ContactChannel, changeId: string) {
    // Best effort: a lost signal leaves a run that only expires a change already ended, which changes nothing.
    await withDeadline(() => handle(tenantId, customerId, channel).signal(contactChangeStoppedSignal, { changeId })).catch(() => undefined);
  }

  return {
    /** Refuses what `request` would refuse, without writing: PUT /v2/profile checks before it saves anything. */
    async check(tenantId: string, customerId: string, channel: ContactChannel, value: string): Promise<void> {
      await db.transaction((trx) => check(trx, tenantId, customerId, channel, value));
    },

    /** Records the change (replacing a pending one of the channel) and starts its workflow, which sends the code. */
    async request(tenantId: string, customerId: string, channel: ContactChannel, value: string, actor: string): Promise<ContactChangeView> {
      const changeId = `chg_${randomBytes(12).toString('hex')}`;
      const row = await db.transaction(async (trx) => {
        await check(trx, tenantId, customerId, channel, value);
        await trx('contact_changes')
          .where({ tenant_id: tenantId, customer_id: customerId, channel, status: 'PENDING_VERIFICATION' })
          .update({ status: 'CANCELLED', updated_at: trx.fn.now() });
        const [inserted] = await trx('contact_changes')
          .insert({
            id: changeId,
            tenant_id: tenantId,
            customer_id: customerId,
            channel,
            new_value: value,
            actor,
            // The database's clock, as created_at's: the edge and the workflow's timer agree to within the start call.
            expires_at: trx.raw('now() + make_interval(secs => ?)', [codeTtlMinutes * 60]),
          })
          .returning('*');
        return inserted as ChangeRow;
      });
      const input: ContactChangeInput = { tenantId, customerId, changeId, channel, codeTtlSeconds: Math.round(codeTtlMinutes * 60) };
      try {
        await withDeadline(() =>
          temporal.workflow.start(CONTACT_CHANGE_WORKFLOW, {
            workflowId: contactChangeWorkflowId(tenantId, customerId, channel),
            taskQueue,
            args: [input],
            // The replaced change was cancelled above: its run has nothing left to do, and its code no longer works.
            workflowIdConflictPolicy: 'TERMINATE_EXISTING',
          }),
        );
      } catch (error) {
        await db('contact_changes').where({ tenant_id: tenantId, id: changeId }).update({ status: 'FAILED', updated_at: db.fn.now() });
        throw isTemporalOutage(error) ? new ServiceUnavailableError() : error;
      }
      return viewOf(row);
    },

    async get(tenantId: string, customerId: string, changeId: string): Promise<ContactChangeView> {
      const row = await db('contact_changes').where({ tenant_id: tenantId, customer_id: customerId, id: changeId }).first<ChangeRow | undefined>();
      if (!row) throw new NotFoundError('Contact change not found');
      return viewOf(row);
    },

    /** Checks the code here; the right one is reported to the workflow, which applies the change and answers how it ended. */
    async verify(tenantId: string, customerId: string, changeId: string, code: string): Promise<ContactChangeView> {
      const verdict = await db.transaction(async (trx) => {
        const row = await lockedChange(trx, tenantId, customerId, changeId);
        if (row.status !== 'PENDING_VERIFICATION') throw notPending(row);
        if (row.expires_at.getTime() <= Date.now()) throw new ConflictError('The code has expired; request a new change');
        const given = Buffer.from(contactChangeCodeHash(codeHashKey, changeId, code));
        const stored = Buffer.from(row.code_hash ?? '');
        if (given.length === stored.length && timingSafeEqual(given, stored)) {
          await trx('contact_changes').where({ id: changeId }).update({ verified_at: trx.fn.now(), updated_at: trx.fn.now() });
          return { row, right: true, ended: false };
        }
        const ended = row.attempts + 1 >= MAX_CODE_ATTEMPTS;
        await trx('contact_changes').where({ id: changeId }).update({ attempts: row.attempts + 1, ...(ended ? { status: 'FAILED' } : {}), updated_at: trx.fn.now() });
        return { row, right: false, ended };
      });
      if (!verdict.right) {
        if (verdict.ended) await stop(tenantId, customerId, verdict.row.channel, changeId);
        throw wrongCode(verdict.ended);
      }
      let outcome: ContactChangeStatus;
      try {
        outcome = await withDeadline(() => handle(tenantId, customerId, verdict.row.channel).executeUpdate(contactCodeConfirmedUpdate, { args: [{ changeId }] }));
      } catch (error) {
        // Its run is gone, or a newer request's run holds the id (the validator refuses another change's id).
        if (error instanceof WorkflowNotFoundError || error instanceof WorkflowUpdateFailedError) throw new ConflictError('The contact change has ended; request a new one');
        throw isTemporalOutage(error) ? new ServiceUnavailableError() : error;
      }
      // The address was free when asked for and taken before the code came: the change failed, nothing changed.
      if (outcome === 'FAILED' && verdict.row.channel === 'EMAIL') throw new ValidationError([{ field: 'email', message: 'Email address is already registered' }]);
      if (outcome !== 'COMPLETED') throw new ConflictError(`The contact change is ${outcome}; request a new one`);
      return this.get(tenantId, customerId, changeId);
    },

    async cancel(tenantId: string, customerId: string, changeId: string): Promise<ContactChangeView> {
      const row = await db.transaction(async (trx) => {
        const found = await lockedChange(trx, tenantId, customerId, changeId);
        if (found.status !== 'PENDING_VERIFICATION') throw notPending(found);
        const [updated] = await trx('contact_changes').where({ id: changeId }).update({ status: 'CANCELLED', updated_at: trx.fn.now() }).returning('*');
        return updated as ChangeRow;
      });
      await stop(tenantId, customerId, row.channel, changeId);
      return viewOf(row);
    },
  };
}

export type ContactChanges = ReturnType<typeof createContactChanges>;
