import type { Knex } from '../common/db';
import { messageIdFor } from './email-verification';
import type { Mailer } from './mailer';
import { sendOnceToCustomer } from './send-once';
import { customerEmail, type CustomerEmailTemplate } from './templates/customer-emails';

export interface SendCustomerEmailInput {
  tenantId: string;
  customerId: string;
  template: CustomerEmailTemplate;
  /** Workflow id + step: the same key never sends twice. */
  idempotencyKey: string;
}

export function createCustomerEmailActivities({ db, mailer }: { db: Knex; mailer: Mailer }) {
  return {
    /** Reminders, KYC outcomes, welcome and expiry notices: each at most once per step. */
    async sendCustomerEmail({ tenantId, customerId, template, idempotencyKey }: SendCustomerEmailInput) {
      return sendOnceToCustomer(db, 'outbound_emails', { tenantId, customerId, idempotencyKey, template }, async (customer) => {
        await mailer.send({
          to: customer.email,
          messageId: messageIdFor(tenantId, idempotencyKey),
          ...customerEmail(template, customer.first_name),
        });
      });
    },
  };
}
