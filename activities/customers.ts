import { ApplicationFailure } from '@temporalio/common';
import { isUniqueViolation, type Knex } from '../common/db';
import { FailureType, type IndividualRegistration } from '../common/onboarding-contract';
import type { CustomerStatus } from '../common/statuses';
import { saveProfileRow } from './profile';

export interface CreateIndividualCustomerInput {
  tenantId: string;
  customerId: string;
  registration: IndividualRegistration;
}

const INITIAL_STATUS: CustomerStatus = 'PENDING_EMAIL_VERIFICATION';

export function createCustomerActivities({ db }: { db: Knex }) {
  return {
    /**
     * Stores a newly registered individual with its first status-history row, in one transaction. Idempotent on
     * the customer id: a retry after a commit returns the stored row. The e-mail's uniqueness per tenant is the
     * database's to enforce, so two racing registrations cannot both win.
     */
    async createIndividualCustomer({ tenantId, customerId, registration }: CreateIndividualCustomerInput) {
      try {
        return await db.transaction(async (trx) => {
          const inserted: Array<{ created_at: Date }> = await trx('customers')
            .insert({
              id: customerId,
              tenant_id: tenantId,
              type: 'INDIVIDUAL',
              email: registration.email,
              first_name: registration.firstName,
              last_name: registration.lastName,
              phone: registration.phone ?? null,
              password_hash: registration.passwordHash ?? null,
              status: INITIAL_STATUS,
              marketing_consent: registration.marketingConsent,
              terms_accepted_at: registration.termsAcceptedAt ?? null,
            })
            .onConflict('id')
            .ignore()
            .returning(['created_at']);
          if (inserted.length === 0) {
            const stored = await trx('customers').where({ id: customerId, tenant_id: tenantId }).first('created_at');
            return { createdAt: (stored.created_at as Date).toISOString() };
          }
          if (registration.profile) {
            await saveProfileRow(trx, { tenantId, customerId, profile: registration.profile, details: registration.details });
          }
          await trx('customer_status_history').insert({
            tenant_id: tenantId,
            customer_id: customerId,
            status: INITIAL_STATUS,
            reason: 'Registered',
          });
          return { createdAt: inserted[0].created_at.toISOString() };
        });
      } catch (error) {
        if (isUniqueViolation(error, 'customers_tenant_email_unique')) {
          throw ApplicationFailure.nonRetryable('Email address is already registered', FailureType.EmailAlreadyRegistered);
        }
        throw error;
      }
    },
  };
}
