/**
 * A new confirmation code for a pending beneficiary, asked by the customer: at most MAX_CODE_RESENDS, each no
 * sooner than the tenant's `resendCooldownSeconds` after the previous code was asked for. The edge decides and
 * counts under a row lock (a refusal there writes nothing); the workflow sends (the code is made in its activity). The confirmation's lifetime
 * does not move: a resend is a new code for the same window.
 */
import { msToNumber } from '@temporalio/common/lib/time';
import type { Client } from '@temporalio/client';
import type { Knex } from '../../common/db';
import { beneficiaryConfirmationResendSignal, beneficiaryConfirmationWorkflowId } from '../../common/beneficiary-contract';
import { ConflictError, NotFoundError, RateLimitExceededError, ServiceUnavailableError } from '../http/errors';
import { temporalDeadline } from '../onboarding/temporal-deadline';
import { policyFrom, type TenantSettingsService } from '../tenancy/tenant-settings';
import { beneficiaryRows, viewOf, type BeneficiaryRow } from './rows';
import type { BeneficiaryView } from './schemas';

export const MAX_CODE_RESENDS = 3;

export function createBeneficiaryResend(deps: { db: Knex; temporal: Client; tenantSettings: Pick<TenantSettingsService, 'get'>; callTimeoutMs: number }) {
  const { db, temporal, tenantSettings, callTimeoutMs } = deps;
  const rows = beneficiaryRows(db);
  const withDeadline = temporalDeadline(temporal, callTimeoutMs);

  return {
    async resend(tenantId: string, customerId: string, beneficiaryId: string): Promise<BeneficiaryView> {
      const cooldownMs = msToNumber(policyFrom(await tenantSettings.get(tenantId)).resendCooldown);
      const row = await db.transaction(async (trx) => {
        const pending = await rows.liveQuery(tenantId, customerId, beneficiaryId, trx).forUpdate().first<BeneficiaryRow & { code_requested_at: Date; code_resends: number }>();
        if (!pending) throw new NotFoundError('Beneficiary not found');
        if (pending.status !== 'PENDING_CONFIRMATION') throw new ConflictError(`The beneficiary is ${pending.status}: there is nothing to confirm`);
        const now = Date.now();
        if (pending.confirmation_expires_at.getTime() <= now) throw new ConflictError('The confirmation has expired: delete the beneficiary and add it again');
        if (pending.code_resends >= MAX_CODE_RESENDS) throw new ConflictError(`A beneficiary's code is resent at most ${MAX_CODE_RESENDS} times: delete it and add it again`);
        const waitMs = pending.code_requested_at.getTime() + cooldownMs - now;
        if (waitMs > 0) throw new RateLimitExceededError(Math.ceil(waitMs / 1000), `A new code can be asked for in ${Math.ceil(waitMs / 1000)} seconds`);
        const [claimed] = await rows.liveQuery(tenantId, customerId, beneficiaryId, trx)
          .update({ code_resends: pending.code_resends + 1, code_requested_at: new Date(now), updated_at: new Date(now) })
          .returning<BeneficiaryRow[]>('*');
        return claimed!;
      });
      // Counted before it is sent: a signal that cannot be delivered costs the customer one resend, never a second code.
      await withDeadline(() => temporal.workflow.getHandle(beneficiaryConfirmationWorkflowId(tenantId, beneficiaryId)).signal(beneficiaryConfirmationResendSignal)).catch(() => {
        throw new ServiceUnavailableError();
      });
      return viewOf(row);
    },
  };
}

export type BeneficiaryResend = ReturnType<typeof createBeneficiaryResend>;
