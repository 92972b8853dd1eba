/**
 * The password-reset workflow's I/O: issue a code (stored as a keyed hash, replacing any earlier one) and mail
 * it, once per run; and remove it when the workflow's timer fires. The code exists only inside the send
 * activity and the e-mail: never in a workflow history. The edge checks it (api/customer-auth/password-reset.ts).
 */
import { createHmac } from 'node:crypto';
import type { Knex } from '../common/db';
import { contactDetails } from './contact-details';
import { messageIdFor } from './email-verification';
import type { Mailer } from './mailer';
import { sendOnce } from './send-once';
import { passwordResetEmail } from './templates/password-reset-email';
import { generateCode } from './verification-codes';

export function passwordResetCodeHash(key: Buffer, customerId: string, code: string): string {
  return createHmac('sha256', key).update(`${customerId}:PASSWORD_RESET:${code}`).digest('base64url');
}

export interface PasswordResetTarget {
  tenantId: string;
  customerId: string;
}

export function createPasswordResetActivities({ db, mailer, codeHashKey }: { db: Knex; mailer: Mailer; codeHashKey: Buffer }) {
  return {
    async sendPasswordResetCode({ tenantId, customerId, idempotencyKey, ttlMinutes }: PasswordResetTarget & { idempotencyKey: string; ttlMinutes: number }) {
      const customer = await contactDetails(db, tenantId, customerId);
      await sendOnce(db, 'outbound_emails', { tenantId, customerId, idempotencyKey, template: 'password-reset' }, async () => {
        const code = generateCode();
        await db('customer_password_resets')
          .insert({
            tenant_id: tenantId,
            customer_id: customerId,
            code_hash: passwordResetCodeHash(codeHashKey, customerId, code),
            issued_by: idempotencyKey,
            attempts: 0,
            expires_at: new Date(Date.now() + ttlMinutes * 60_000),
            created_at: new Date(),
          })
          .onConflict(['tenant_id', 'customer_id'])
          .merge(['code_hash', 'issued_by', 'attempts', 'expires_at', 'created_at']);
        const content = passwordResetEmail({ firstName: customer.first_name, code, expiresInMinutes: ttlMinutes });
        await mailer.send({ to: customer.email, messageId: messageIdFor(tenantId, idempotencyKey), ...content });
      });
    },

    /** Removes the code this run issued (the same key); a code a later run issued stays. */
    async expirePasswordResetCode({ tenantId, customerId, idempotencyKey }: PasswordResetTarget & { idempotencyKey: string }) {
      await db('customer_password_resets').where({ tenant_id: tenantId, customer_id: customerId, issued_by: idempotencyKey }).del();
    },
  };
}
