import { ApplicationFailure } from '@temporalio/common';
import { isUniqueViolation, type Knex } from '../common/db';
import { FailureType, type IndividualRegistration } from '../common/onboarding-contract';
import type { CustomerStatus } from '../common/statuses';
import type { TaxId } from '../common/tax-ids';
import type { WebhookWake } from '../api/webhooks/outbox';
import type { Requirements } from '../common/lifecycle';
import { recordRegistrationEvents } from './customer-events';
import { saveProfileRow } from './profile';
import { categoryColumns } from './category-columns';

export interface CreateIndividualCustomerInput {
  tenantId: string;
  customerId: string;
  registration: IndividualRegistration;
  /** The requirements at the first status, recorded with it (executions past the requirement-webhook-events patch). */
  requirements?: Requirements;
}

const INITIAL_STATUS: CustomerStatus = 'PENDING_EMAIL_VERIFICATION';

interface StagedSecretsRow {
  password_hash: string | null;
  tax_ids_encrypted: string | null;
  tax_ids_masked: TaxId[] | null;
}

/** Reads and deletes the secrets the API staged (api/individuals/registration-secrets.ts) in one statement. */
function takeStagedSecrets(trx: Knex.Transaction, tenantId: string, customerId: string): Promise<StagedSecretsRow[]> {
  return trx('registration_secrets')
    .where({ tenant_id: tenantId, customer_id: customerId })
    .del()
    .returning(['password_hash', 'tax_ids_encrypted', 'tax_ids_masked']);
}

export function createCustomerActivities({ db, webhookWake }: { db: Knex; webhookWake: WebhookWake }) {
  return {
    /**
     * Stores a newly registered individual with its first status-history row, and moves the secrets the API
     * staged into the customer rows, in one transaction. Inputs recorded before staging carry the hash inline
     * and are still accepted (replayed histories). Idempotent on
     * the customer id: a retry after a commit returns the stored row. The e-mail's uniqueness per tenant is the
     * database's to enforce, so two racing registrations cannot both win. The first customer.status_changed
     * (previousStatus null) is recorded with the row, so a retry that finds the row records none.
     */
    async createIndividualCustomer({ tenantId, customerId, registration, requirements }: CreateIndividualCustomerInput) {
      try {
        const { createdAt, subscriptionIds } = await db.transaction(async (trx) => {
          const [staged] = registration.stagedSecrets ? await takeStagedSecrets(trx, tenantId, customerId) : [];
          const inserted: Array<{ created_at: Date }> = await trx('customers')
            .insert({
              id: customerId,
              tenant_id: tenantId,
              type: 'INDIVIDUAL',
              email: registration.email,
              first_name: registration.firstName,
              last_name: registration.lastName,
              phone: registration.phone ?? null,
              password_hash: registration.passwordHash ?? staged?.password_hash ?? null,
              status: INITIAL_STATUS,
              marketing_consent: registration.marketingConsent,
              terms_accepted_at: registration.termsAcceptedAt ?? null,
              ...categoryColumns(registration.category, trx),
            })
            .onConflict('id')
            .ignore()
            .returning(['created_at']);
          if (inserted.length === 0) {
            const stored = await trx('customers').where({ id: customerId, tenant_id: tenantId }).first('created_at');
            return { createdAt: (stored.created_at as Date).toISOString(), subscriptionIds: [] as string[] };
          }
          // Staged secrets missing means the API gave up on this registration (or it expired): store nothing.
          if (registration.stagedSecrets && !staged) {
            throw ApplicationFailure.nonRetryable('The registration\'s staged secrets are gone', FailureType.RegistrationFailed);
          }
          if (registration.profile) {
            const taxIds = staged?.tax_ids_encrypted ? { encrypted: staged.tax_ids_encrypted, masked: staged.tax_ids_masked ?? [] } : undefined;
            await saveProfileRow(trx, { tenantId, customerId, profile: registration.profile, details: registration.details }, taxIds);
          }
          await trx('customer_status_history').insert({
            tenant_id: tenantId,
            customer_id: customerId,
            status: INITIAL_STATUS,
            reason: 'Registered',
          });
          const ref = { tenantId, customerId, customerType: 'INDIVIDUAL' as const };
          const subscriptionIds = await recordRegistrationEvents(trx, ref, INITIAL_STATUS, requirements);
          return { createdAt: inserted[0].created_at.toISOString(), subscriptionIds };
        });
        await webhookWake(tenantId, subscriptionIds);
        return { createdAt };
      } catch (error) {
        if (isUniqueViolation(error, 'customers_tenant_email_unique')) {
          throw ApplicationFailure.nonRetryable('Email address is already registered', FailureType.EmailAlreadyRegistered);
        }
        throw error;
      }
    },
  };
}
