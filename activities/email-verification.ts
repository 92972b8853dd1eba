import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from '../common/db';
import { contactDetails } from './contact-details';
import type { Mailer } from './mailer';
import { sendOnce, sendOnceToCustomer } from './send-once';
import type { SmsSender } from './sms';
import { verificationEmail } from './templates/verification-email';
import { issueCode } from './verification-codes';

export interface SendCodeInput {
  tenantId: string;
  customerId: string;
  /** Workflow id + step: the same key never sends twice. */
  idempotencyKey: string;
}

export interface ContactVerificationDeps {
  db: Knex;
  mailer: Mailer;
  sms: SmsSender;
  codeHashKey: Buffer;
  codeTtlMinutes: number;
}

export function messageIdFor(tenantId: string, idempotencyKey: string): string {
  return `<${createHash('sha256').update(`${tenantId}/${idempotencyKey}`).digest('hex').slice(0, 32)}@onboarding>`;
}

export function createContactVerificationActivities({ db, mailer, sms, codeHashKey, codeTtlMinutes }: ContactVerificationDeps) {
  return {
    /**
     * Issues a fresh e-mail verification code and mails it, once per key. The code never leaves this activity
     * except in the e-mail, so it is in no workflow history; if a retry has to resend, only the newest code works.
     */
    async sendVerificationEmail({ tenantId, customerId, idempotencyKey }: SendCodeInput) {
      return sendOnceToCustomer(db, 'outbound_emails', { tenantId, customerId, idempotencyKey, template: 'verification-email' }, async (customer) => {
        const code = await issueCode(db, codeHashKey, { tenantId, customerId, channel: 'EMAIL', ttlMinutes: codeTtlMinutes });
        const content = verificationEmail({ firstName: customer.first_name, code, expiresInMinutes: codeTtlMinutes });
        await mailer.send({ to: customer.email, messageId: messageIdFor(tenantId, idempotencyKey), ...content });
      });
    },

    /** The same for the phone number given at registration, by SMS. */
    async sendPhoneCode({ tenantId, customerId, idempotencyKey }: SendCodeInput) {
      const customer = await contactDetails(db, tenantId, customerId);
      if (!customer.phone) throw ApplicationFailure.nonRetryable(`Customer ${customerId} has no phone number`, 'NoPhoneNumber');
      const phone = customer.phone;
      return sendOnce(db, 'outbound_sms', { tenantId, customerId, idempotencyKey, template: 'phone-code' }, async () => {
        const code = await issueCode(db, codeHashKey, { tenantId, customerId, channel: 'PHONE', ttlMinutes: codeTtlMinutes });
        await sms.send({ tenantId, to: phone, text: `Your verification code is ${code}. It expires in ${codeTtlMinutes} minutes.` });
      });
    },
  };
}
