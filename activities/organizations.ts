/**
 * An organization's rows: its `customers` row (type ORGANIZATION, person columns = its representative), its
 * business profile and its status history. The uniqueness of a registration number per country and tenant is
 * the database's to enforce (organization_profiles_registration_unique), so two racing registrations cannot both
 * be stored.
 */
import { ApplicationFailure } from '@temporalio/common';
import { isUniqueViolation, type Knex } from '../common/db';
import { FailureType } from '../common/onboarding-contract';
import { OrganizationAlreadyExists, type OrganizationRegistration } from '../common/organization-contract';
import type { Requirements } from '../common/lifecycle';
import type { KybStatus, OrganizationStatus } from '../common/statuses';
import type { OrganizationPeopleService } from '../api/organizations/people-service';
import type { WebhookWake } from '../api/webhooks/outbox';
import { recordRegistrationEvents } from './customer-events';
import { categoryColumns } from './category-columns';
import { observeStep, writeRequirements, writeTimedStatusChange } from './status';

const INITIAL_STATUS: OrganizationStatus = 'ONBOARDING';
const REGISTRATION_NUMBER_UNIQUE = 'organization_profiles_registration_unique';

export interface CreateOrganizationInput {
  tenantId: string;
  organizationId: string;
  registration: OrganizationRegistration;
  /** The requirements at the first status, recorded with it (executions past the requirement-webhook-events patch). */
  requirements?: Requirements;
}

export interface RecordOrganizationStatusInput {
  tenantId: string;
  organizationId: string;
  status?: OrganizationStatus;
  kybStatus?: KybStatus;
  reason: string;
  /** What is due after the move, when it changed with it (see RecordStatusInput). */
  requirements?: Requirements;
}

export function createOrganizationActivities({ db, people, webhookWake }: { db: Knex; people: OrganizationPeopleService; webhookWake: WebhookWake }) {
  return {
    /**
     * Stores the organization, its profile and its first history row in one transaction. Idempotent on the id:
     * a retry after a commit returns the stored row. A registration number already used in that country by this
     * tenant fails without retry and stores nothing.
     */
    async createOrganization({ tenantId, organizationId, registration, requirements }: CreateOrganizationInput): Promise<{ createdAt: string }> {
      const { organization: org, representative: rep } = registration;
      try {
        const { createdAt, subscriptionIds } = await db.transaction(async (trx) => {
          const inserted: Array<{ created_at: Date }> = await trx('customers')
            .insert({
              id: organizationId,
              tenant_id: tenantId,
              type: 'ORGANIZATION',
              email: rep.email,
              first_name: rep.firstName,
              last_name: rep.lastName,
              phone: rep.phone ?? null,
              status: INITIAL_STATUS,
              ...categoryColumns(registration.category, trx),
            })
            .onConflict('id')
            .ignore()
            .returning(['created_at']);
          if (inserted.length === 0) {
            const stored = await trx('customers').where({ tenant_id: tenantId, id: organizationId }).first('created_at');
            return { createdAt: (stored.created_at as Date).toISOString(), subscriptionIds: [] as string[] };
          }
          await trx('organization_profiles').insert({
            tenant_id: tenantId,
            customer_id: organizationId,
            business_name: org.businessName,
            business_type: org.businessType,
            registration_number: org.registrationNumber,
            country_of_incorporation: org.countryOfIncorporation,
            date_of_incorporation: org.dateOfIncorporation,
            industry_code: org.industryType,
            contact_email: org.contactEmail,
            contact_phone: org.contactPhone,
          });
          await trx('customer_status_history').insert({ tenant_id: tenantId, customer_id: organizationId, status: INITIAL_STATUS, reason: 'Registered' });
          // The representative is a party too: verified like a director, the same party if later added as one.
          await people.recordRepresentative(trx, tenantId, organizationId, rep);
          const ref = { tenantId, customerId: organizationId, customerType: 'ORGANIZATION' as const };
          const subscriptionIds = await recordRegistrationEvents(trx, ref, INITIAL_STATUS, requirements);
          return { createdAt: inserted[0].created_at.toISOString(), subscriptionIds };
        });
        await webhookWake(tenantId, subscriptionIds);
        return { createdAt };
      } catch (error) {
        if (isUniqueViolation(error, REGISTRATION_NUMBER_UNIQUE)) {
          throw ApplicationFailure.nonRetryable('Organization already exists', OrganizationAlreadyExists);
        }
        if (isUniqueViolation(error)) throw ApplicationFailure.nonRetryable('Registration could not be stored', FailureType.RegistrationFailed);
        throw error;
      }
    },

    /**
     * Moves the organization's status and/or KYB status, once: a retry finds them already there. A change of
     * status appends a history row (the reason carries a reviewer's note, so only staff read it).
     */
    async recordOrganizationStatus({ tenantId, organizationId, status, kybStatus, reason, requirements }: RecordOrganizationStatusInput): Promise<void> {
      const { subscriptionIds, timing } = await db.transaction(async (trx) => {
        if (kybStatus) {
          await trx('organization_profiles')
            .where({ tenant_id: tenantId, customer_id: organizationId })
            .whereNot({ kyb_status: kybStatus })
            .update({ kyb_status: kybStatus, updated_at: trx.fn.now() });
        }
        if (status) return writeTimedStatusChange(trx, { tenantId, customerId: organizationId, status, reason, requirements });
        return { subscriptionIds: requirements ? await writeRequirements(trx, tenantId, organizationId, requirements) : [], timing: undefined };
      });
      observeStep(timing);
      await webhookWake(tenantId, subscriptionIds);
    },
  };
}
