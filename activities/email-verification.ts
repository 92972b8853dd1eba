import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from '../common/db';
import type { Mailer } from './mailer';
import { verificationEmail } from './templates/verification-email';
import { generateCode, hashCode } from './verification-codes';

export interface SendVerificationEmailInput {
  tenantId: string;
  customerId: string;
  /** Workflow id + step: the same key never sends twice. */
  idempotencyKey: string;
}

export interface EmailVerificationDeps {
  db: Knex;
  mailer: Mailer;
  codeHashKey: Buffer;
  codeTtlMinutes: number;
}

export function createEmailVerificationActivities({ db, mailer, codeHashKey, codeTtlMinutes }: EmailVerificationDeps) {
  return {
    /**
     * Issues a fresh e-mail verification code and mails it. Returns only the expiry: the code never leaves this
     * activity except in the e-mail. If an earlier attempt crashed after SMTP accepted the message but before it
     * was marked sent, the customer receives a second message with a new code, and only the newest code works.
     */
    async sendVerificationEmail({ tenantId, customerId, idempotencyKey }: SendVerificationEmailInput) {
      const customer = await db('customers')
        .where({ tenant_id: tenantId, id: customerId })
        .first<{ email: string; first_name: string } | undefined>('email', 'first_name');
      if (!customer) throw ApplicationFailure.nonRetryable(`Customer ${customerId} not found`, 'CustomerNotFound');

      await db('outbound_emails')
        .insert({ tenant_id: tenantId, customer_id: customerId, idempotency_key: idempotencyKey, template: 'verification-email' })
        .onConflict(['tenant_id', 'idempotency_key'])
        .ignore();
      const outbound = await db('outbound_emails')
        .where({ tenant_id: tenantId, idempotency_key: idempotencyKey })
        .first<{ id: string; sent_at: Date | null }>('id', 'sent_at');
      if (outbound.sent_at) return { sent: true, deduplicated: true };

      const code = generateCode();
      const expiresAt = new Date(Date.now() + codeTtlMinutes * 60_000);
      await db('verification_codes')
        .insert({
          tenant_id: tenantId,
          customer_id: customerId,
          channel: 'EMAIL',
          code_hash: hashCode(codeHashKey, customerId, 'EMAIL', code),
          attempts: 0,
          expires_at: expiresAt,
          created_at: new Date(),
        })
        .onConflict(['customer_id', 'channel'])
        .merge(['code_hash', 'attempts', 'expires_at', 'created_at']);

      const content = verificationEmail({ firstName: customer.first_name, code, expiresInMinutes: codeTtlMinutes });
      const messageId = `<${createHash('sha256').update(`${tenantId}/${idempotencyKey}`).digest('hex').slice(0, 32)}@onboarding>`;
      await mailer.send({ to: customer.email, messageId, ...content });
      await db('outbound_emails').where({ id: outbound.id }).update({ sent_at: new Date(), message_id: messageId });
      return { sent: true, deduplicated: false, expiresAt: expiresAt.toISOString() };
    },
  };
}
