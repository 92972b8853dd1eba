/**
 * The customer's confirmation of a new beneficiary, checked here at the edge against the keyed hash the workflow's
 * activity stored. The right code makes it ACTIVE; each wrong one counts, and the fifth ends it FAILED (a new
 * attempt means deleting it and adding the account again). Past its lifetime the code is refused with 409, as is
 * any beneficiary no longer pending. The workflow is then told it has nothing left to expire.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Knex } from '../../common/db';
import { beneficiaryCodeHash } from '../../activities/beneficiary-confirmation';
import { ConflictError, CustomerStatusError, NotFoundError, ValidationError } from '../http/errors';
import { beneficiaryRows, viewOf, type BeneficiaryRow } from './rows';
import type { BeneficiaryView } from './schemas';
import { settle } from './service';

/** Wrong codes one beneficiary takes before it ends FAILED. */
export const MAX_CODE_ATTEMPTS = 5;

type Verdict =
  | { outcome: 'CONFIRMED'; row: BeneficiaryRow }
  | { outcome: 'WRONG'; left: number }
  | { outcome: 'NOT_PENDING'; status: string }
  | { outcome: 'EXPIRED' }
  | { outcome: 'CUSTOMER_NOT_ACTIVE'; status: string };

export function createBeneficiaryConfirmation({ db, temporal, codeHashKey, callTimeoutMs }: { db: Knex; temporal: Client; codeHashKey: Buffer; callTimeoutMs: number }) {
  const rows = beneficiaryRows(db);

  async function judge(tenantId: string, customerId: string, beneficiaryId: string, code: string): Promise<Verdict> {
    // Decided and recorded in one transaction, the row locked: two racing guesses are counted one after the other.
    return db.transaction(async (trx) => {
      const customer = await trx('customers').where({ tenant_id: tenantId, id: customerId }).first<{ status: string } | undefined>('status');
      if (!customer) throw new NotFoundError('Customer not found');
      const row = await rows.liveQuery(tenantId, customerId, beneficiaryId, trx).forUpdate().first<BeneficiaryRow | undefined>();
      if (!row) throw new NotFoundError('Beneficiary not found');
      if (row.status !== 'PENDING_CONFIRMATION') return { outcome: 'NOT_PENDING', status: row.status };
      if (row.confirmation_expires_at.getTime() <= Date.now()) return { outcome: 'EXPIRED' };
      if (customer.status !== 'ACTIVE') return { outcome: 'CUSTOMER_NOT_ACTIVE', status: customer.status };
      const given = Buffer.from(beneficiaryCodeHash(codeHashKey, beneficiaryId, code));
      const stored = Buffer.from(row.code_hash ?? '');
      const now = new Date();
      if (given.length === stored.length && timingSafeEqual(given, stored)) {
        const [confirmed] = await rows.liveQuery(tenantId, customerId, beneficiaryId, trx)
          .update({ status: 'ACTIVE', code_hash: null, confirmed_at: now, updated_at: now })
          .returning<BeneficiaryRow[]>('*');
        return { outcome: 'CONFIRMED', row: confirmed! };
      }
      // No code issued yet (the message is still on its way) is not a guess against one: nothing is counted.
      if (row.code_hash === null) return { outcome: 'WRONG', left: MAX_CODE_ATTEMPTS - row.code_attempts };
      const attempts = row.code_attempts + 1;
      const failed = attempts >= MAX_CODE_ATTEMPTS;
      await rows.liveQuery(tenantId, customerId, beneficiaryId, trx).update({
        code_attempts: attempts,
        updated_at: now,
        ...(failed ? { status: 'FAILED', code_hash: null } : {}),
      });
      return { outcome: 'WRONG', left: MAX_CODE_ATTEMPTS - attempts };
    });
  }

  return {
    async confirm(tenantId: string, customerId: string, beneficiaryId: string, code: string): Promise<BeneficiaryView> {
      const verdict = await judge(tenantId, customerId, beneficiaryId, code);
      switch (verdict.outcome) {
        case 'CONFIRMED':
          await settle(temporal, callTimeoutMs, tenantId, beneficiaryId);
          return viewOf(verdict.row);
        case 'WRONG':
          if (verdict.left === 0) await settle(temporal, callTimeoutMs, tenantId, beneficiaryId);
          throw new ValidationError(
            [{ field: 'code', message: verdict.left === 0 ? 'The code is not correct; too many wrong codes: the beneficiary is now FAILED' : `The code is not correct; ${verdict.left} tries left` }],
            'Confirmation failed',
          );
        case 'EXPIRED':
          throw new ConflictError('The confirmation code has expired: delete the beneficiary and add it again');
        case 'NOT_PENDING':
          throw new ConflictError(`The beneficiary is ${verdict.status}: there is nothing to confirm`);
        case 'CUSTOMER_NOT_ACTIVE':
          throw new CustomerStatusError(`Beneficiaries are confirmed for an ACTIVE customer; this one is ${verdict.status}`, verdict.status);
      }
    },
  };
}

export type BeneficiaryConfirmation = ReturnType<typeof createBeneficiaryConfirmation>;
