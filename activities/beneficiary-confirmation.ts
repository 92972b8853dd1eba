/**
 * The beneficiary-confirmation workflow's I/O: issue a code (stored on the beneficiary as a keyed hash, replacing
 * any earlier one; wrong guesses keep counting across codes) and send it once, by e-mail or SMS as the beneficiary
 * asks; and expire the beneficiary when the workflow's timer fires.
 * The code exists only inside the send activity and the message; the edge checks it (api/beneficiaries/confirmation.ts).
 */
import { createHmac } from 'node:crypto';
import type { Knex } from '../common/db';
import { contactDetails } from './contact-details';
import { messageIdFor } from './email-verification';
import type { Mailer } from './mailer';
import { sendOnce } from './send-once';
import type { SmsSender } from './sms';
import { beneficiaryConfirmationEmail, beneficiaryConfirmationSms } from './templates/beneficiary-confirmation';
import { generateCode } from './verification-codes';

export function beneficiaryCodeHash(key: Buffer, beneficiaryId: string, code: string): string {
  return createHmac('sha256', key).update(`${beneficiaryId}:BENEFICIARY_CONFIRMATION:${code}`).digest('base64url');
}

interface BeneficiaryTarget {
  tenantId: string;
  customerId: string;
  beneficiaryId: string;
}

interface PendingBeneficiary {
  name: string;
  account_masked: string;
  confirmation_channel: 'EMAIL' | 'SMS';
  confirmation_expires_at: Date;
}

export function createBeneficiaryConfirmationActivities({ db, mailer, sms, codeHashKey }: { db: Knex; mailer: Mailer; sms: SmsSender; codeHashKey: Buffer }) {
  return {
    async sendBeneficiaryConfirmationCode({ tenantId, customerId, beneficiaryId, idempotencyKey }: BeneficiaryTarget & { idempotencyKey: string }) {
      const where = { tenant_id: tenantId, customer_id: customerId, id: beneficiaryId, status: 'PENDING_CONFIRMATION' };
      const pending = await db('beneficiaries')
        .where(where)
        .first<PendingBeneficiary | undefined>('name', 'account_masked', 'confirmation_channel', 'confirmation_expires_at');
      // Deleted (or settled) before the code went out: there is nothing to confirm.
      if (!pending) return;
      const customer = await contactDetails(db, tenantId, customerId);
      const expiresInMinutes = (pending.confirmation_expires_at.getTime() - Date.now()) / 60_000;
      const issue = async () => {
        const code = generateCode();
        await db('beneficiaries').where(where).update({ code_hash: beneficiaryCodeHash(codeHashKey, beneficiaryId, code), updated_at: new Date() });
        return code;
      };
      const key = { tenantId, customerId, idempotencyKey, template: 'beneficiary-confirmation' };
      if (pending.confirmation_channel === 'SMS' && customer.phone) {
        const to = customer.phone;
        await sendOnce(db, 'outbound_sms', key, async () => {
          await sms.send({ tenantId, to, text: beneficiaryConfirmationSms({ maskedAccount: pending.account_masked, code: await issue(), expiresInMinutes }) });
        });
        return;
      }
      await sendOnce(db, 'outbound_emails', key, async () => {
        const content = beneficiaryConfirmationEmail({
          firstName: customer.first_name,
          beneficiaryName: pending.name,
          maskedAccount: pending.account_masked,
          code: await issue(),
          expiresInMinutes,
        });
        await mailer.send({ to: customer.email, messageId: messageIdFor(tenantId, idempotencyKey), ...content });
      });
    },

    /** A beneficiary still pending when its code's time is up becomes EXPIRED; any other state stays. */
    async expireBeneficiary({ tenantId, customerId, beneficiaryId }: BeneficiaryTarget) {
      await db('beneficiaries')
        .where({ tenant_id: tenantId, customer_id: customerId, id: beneficiaryId, status: 'PENDING_CONFIRMATION' })
        .update({ status: 'EXPIRED', code_hash: null, updated_at: new Date() });
    },
  };
}
