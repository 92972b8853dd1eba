/**
 * A customer's beneficiaries: add (pending until the customer confirms it with a code), list, read, rename, delete.
 * Another tenant's or another customer's beneficiary answers exactly like a missing one. The account is sealed at
 * rest; reads show only its masked form and never decrypt anything.
 */
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Knex } from '../../common/db';
import type { FieldCipher } from '../../common/field-encryption';
import {
  BENEFICIARY_CONFIRMATION_WORKFLOW,
  beneficiaryConfirmationSettledSignal,
  beneficiaryConfirmationWorkflowId,
  type BeneficiaryConfirmationInput,
} from '../../common/beneficiary-contract';
import { ConflictError, CustomerStatusError, NotFoundError, ServiceUnavailableError, ValidationError } from '../http/errors';
import { isTemporalOutage } from '../onboarding/service';
import { temporalDeadline } from '../onboarding/temporal-deadline';
import { normaliseAccount, type NormalisedAccount } from './accounts';
import { beneficiaryRows, viewOf, type BeneficiaryRow } from './rows';
import type { BeneficiaryStatus, BeneficiaryView, CreateBeneficiary } from './schemas';

/** The FieldCipher purpose of `beneficiaries.account_sealed`. */
export const BENEFICIARY_ACCOUNT_PURPOSE = 'beneficiary-accounts';
const ACCOUNT_UNIQUE = 'beneficiaries_account_unique';

export interface BeneficiaryDeps {
  db: Knex;
  temporal: Client;
  taskQueue: string;
  accountCipher: FieldCipher;
  codeHashKey: Buffer;
  confirmationTtlMinutes: number;
  callTimeoutMs: number;
}

export const newBeneficiaryId = () => `ben_${randomBytes(12).toString('hex')}`;

export function createBeneficiaryService({ db, temporal, taskQueue, accountCipher, codeHashKey, confirmationTtlMinutes, callTimeoutMs }: BeneficiaryDeps) {
  const withDeadline = temporalDeadline(temporal, callTimeoutMs);
  const rows = beneficiaryRows(db);
  // Its own key, derived from the code-hash key: a fingerprint is useless for guessing codes, and the reverse.
  const fingerprintKey = Buffer.from(hkdfSync('sha256', codeHashKey, '', 'beneficiary-fingerprints', 32));
  const fingerprintOf = (tenantId: string, customerId: string, account: NormalisedAccount) =>
    createHmac('sha256', fingerprintKey).update(`${tenantId}:${customerId}:${account.fingerprintSource}`).digest('base64url');

  async function customerOf(tenantId: string, customerId: string) {
    const customer = await db('customers').where({ tenant_id: tenantId, id: customerId }).first<{ status: string; phone: string | null } | undefined>('status', 'phone');
    if (!customer) throw new NotFoundError('Customer not found');
    return customer;
  }

  async function insert(tenantId: string, customerId: string, body: CreateBeneficiary, account: NormalisedAccount): Promise<BeneficiaryRow> {
    const id = newBeneficiaryId();
    const fingerprint = fingerprintOf(tenantId, customerId, account);
    const sealed = account.type === 'IBAN' ? { iban: account.iban } : { account_number: account.accountNumber, routing_code: account.routingCode };
    try {
      const [row] = await db('beneficiaries')
        .insert({
          id,
          tenant_id: tenantId,
          customer_id: customerId,
          name: body.name,
          nickname: body.nickname ?? null,
          country: body.country,
          currency: body.currency,
          bic: account.bic,
          account_type: account.type,
          account_sealed: accountCipher.encrypt(JSON.stringify(sealed), `${tenantId}:${customerId}:${id}`),
          account_masked: account.masked,
          routing_code: account.type === 'ACCOUNT_NUMBER' ? account.routingCode : null,
          fingerprint,
          status: 'PENDING_CONFIRMATION',
          confirmation_channel: body.confirmation_channel,
          confirmation_expires_at: new Date(Date.now() + confirmationTtlMinutes * 60_000),
        })
        .returning<BeneficiaryRow[]>('*');
      return row!;
    } catch (error) {
      if ((error as { constraint?: string }).constraint !== ACCOUNT_UNIQUE) throw error;
      // The database refused a second row for the account (also when two requests race): name the one it keeps.
      const existing = await db('beneficiaries').where({ tenant_id: tenantId, customer_id: customerId, fingerprint }).whereNot({ status: 'DELETED' }).first<{ id: string; status: string } | undefined>('id', 'status');
      throw new ConflictError(existing ? `This account is already the customer's beneficiary ${existing.id} (${existing.status})` : "This account is already one of the customer's beneficiaries");
    }
  }

  async function startConfirmation(row: BeneficiaryRow): Promise<void> {
    const input: BeneficiaryConfirmationInput = {
      tenantId: row.tenant_id,
      customerId: row.customer_id,
      beneficiaryId: row.id,
      ttlMs: Math.round(confirmationTtlMinutes * 60_000),
    };
    try {
      await withDeadline(() =>
        temporal.workflow.start(BENEFICIARY_CONFIRMATION_WORKFLOW, { workflowId: beneficiaryConfirmationWorkflowId(row.tenant_id, row.id), taskQueue, args: [input] }),
      );
    } catch (error) {
      // No code can come without the workflow: the beneficiary was never added, and its account stays free.
      await db('beneficiaries').where({ tenant_id: row.tenant_id, id: row.id }).del();
      throw isTemporalOutage(error) ? new ServiceUnavailableError() : error;
    }
  }

  return {
    async create(tenantId: string, customerId: string, body: CreateBeneficiary): Promise<BeneficiaryView> {
      const customer = await customerOf(tenantId, customerId);
      if (customer.status !== 'ACTIVE') throw new CustomerStatusError(`Beneficiaries are added for an ACTIVE customer; this one is ${customer.status}`, customer.status);
      const checked = normaliseAccount(body);
      if ('issues' in checked) throw new ValidationError(checked.issues);
      if (body.confirmation_channel === 'SMS' && !customer.phone) {
        throw new ValidationError([{ field: 'confirmation_channel', message: 'The customer has no phone number: the code can go by EMAIL only' }]);
      }
      const row = await insert(tenantId, customerId, body, checked.account);
      await startConfirmation(row);
      return viewOf(row);
    },

    async list(tenantId: string, customerId: string, query: { status?: BeneficiaryStatus; cursor?: string; limit: number }) {
      await customerOf(tenantId, customerId);
      const page = await rows.page(tenantId, customerId, query);
      if (page === undefined) throw new ValidationError([{ field: 'cursor', message: 'Not a next_cursor this listing gave' }]);
      const hasMore = page.length > query.limit;
      const shown = page.slice(0, query.limit);
      return { data: shown.map(viewOf), next_cursor: hasMore ? shown.at(-1)!.id : null };
    },

    async get(tenantId: string, customerId: string, beneficiaryId: string): Promise<BeneficiaryView> {
      return viewOf(await rows.live(tenantId, customerId, beneficiaryId));
    },

    async rename(tenantId: string, customerId: string, beneficiaryId: string, nickname: string | null): Promise<BeneficiaryView> {
      const [row] = await rows.liveQuery(tenantId, customerId, beneficiaryId).update({ nickname, updated_at: new Date() }).returning<BeneficiaryRow[]>('*');
      if (!row) throw new NotFoundError('Beneficiary not found');
      return viewOf(row);
    },

    /** Kept as DELETED for the record; its account may be added again; a pending confirmation ends. */
    async remove(tenantId: string, customerId: string, beneficiaryId: string): Promise<void> {
      const now = new Date();
      const changed = await rows.liveQuery(tenantId, customerId, beneficiaryId).update({ status: 'DELETED', code_hash: null, deleted_at: now, updated_at: now });
      if (changed !== 1) throw new NotFoundError('Beneficiary not found');
      await settle(temporal, callTimeoutMs, tenantId, beneficiaryId);
    },
  };
}

/**
 * Tells the confirmation workflow the beneficiary is settled. Best effort: if the signal is lost, the workflow's
 * timer only expires a beneficiary that is still pending, which this one no longer is.
 */
export async function settle(temporal: Client, callTimeoutMs: number, tenantId: string, beneficiaryId: string): Promise<void> {
  await temporalDeadline(temporal, callTimeoutMs)(() =>
    temporal.workflow.getHandle(beneficiaryConfirmationWorkflowId(tenantId, beneficiaryId)).signal(beneficiaryConfirmationSettledSignal),
  ).catch(() => undefined);
}

export type BeneficiaryService = ReturnType<typeof createBeneficiaryService>;
