import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from '../common/db';

export interface ContactDetails {
  email: string;
  first_name: string;
  phone: string | null;
}

/** The customer's contact details, read when a message is sent so personal data stays out of workflow inputs. */
export async function contactDetails(db: Knex, tenantId: string, customerId: string): Promise<ContactDetails> {
  const customer = await db('customers')
    .where({ tenant_id: tenantId, id: customerId })
    .first<ContactDetails | undefined>('email', 'first_name', 'phone');
  if (!customer) throw customerNotFound(customerId);
  return customer;
}

export const customerNotFound = (customerId: string) => ApplicationFailure.nonRetryable(`Customer ${customerId} not found`, 'CustomerNotFound');
