/**
 * Registers an organization: checks what the body alone cannot (the industry code exists, the registration
 * number is free), then starts the organization's onboarding workflow and delivers the registration in one
 * update-with-start call. The answer comes back once the workflow has committed the organization's rows; a
 * duplicate that slipped past the early check (two racing requests) is refused by the database and answered 409.
 */
import { randomBytes } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from '../../common/db';
import { onboardingWorkflowId, type OnboardingInput } from '../../common/onboarding-contract';
import {
  ORGANIZATION_ONBOARDING_WORKFLOW,
  OrganizationAlreadyExists,
  registerOrganizationUpdate,
  type OrganizationDetails,
  type Representative,
} from '../../common/organization-contract';
import { CustomerIdKey, CustomerTypeKey, DueRequirementKey, KybStatusKey, OnboardingStatusKey, TenantIdKey } from '../../common/search-attributes';
import { ConflictError, ServiceUnavailableError, ValidationError } from '../http/errors';
import { isTemporalOutage } from '../onboarding/service';
import type { ReferenceDataService } from '../reference/service';
import { temporalDeadline } from '../onboarding/temporal-deadline';
import { policyFrom } from '../tenancy/tenant-settings';
import { countriesOutside, refuseCountriesOutside } from '../tenancy/countries-of-operation';
import type { RequestTenant } from '../tenancy/access';
import { onboardingLabels } from '../../common/workflow-labels';
import { categorize } from '../profiles/categories';

export interface OrganizationRegistrationDeps {
  db: Knex;
  temporal: Client;
  referenceData: ReferenceDataService;
  taskQueue: string;
  /** Concurrent registrations this process accepts before answering 503. */
  maxInFlight: number;
  temporalCallTimeoutMs: number;
}

export const organizationExists = () => new ConflictError('Organization already exists');

export function newOrganizationId(): string {
  return `org_${randomBytes(12).toString('hex')}`;
}

/**
 * v2 registrations name no representative: the business's contact address then receives the codes and notices,
 * greeted by the business name (first name) with no last name.
 */
export function representativeOf(organization: OrganizationDetails, given?: Representative): Representative {
  return given ?? { firstName: organization.businessName, lastName: '', email: organization.contactEmail };
}

export function createOrganizationRegistration(deps: OrganizationRegistrationDeps) {
  const { db, temporal, referenceData, taskQueue, maxInFlight } = deps;
  const withDeadline = temporalDeadline(temporal, deps.temporalCallTimeoutMs);
  let inFlight = 0;

  /** The early duplicate check spares a workflow in the common case; the unique index settles races. */
  async function registrationNumberTaken(tenantId: string, organization: OrganizationDetails): Promise<boolean> {
    const row = await db('organization_profiles')
      .where({ tenant_id: tenantId, country_of_incorporation: organization.countryOfIncorporation })
      .whereRaw("registration_number_key = upper(regexp_replace(?, '[[:space:]-]', '', 'g'))", [organization.registrationNumber])
      .first('customer_id');
    return row !== undefined;
  }

  async function register(tenant: RequestTenant, organization: OrganizationDetails, representative: Representative) {
    const { access: { tenantId }, settings, name: tenantName } = tenant;
    refuseCountriesOutside(countriesOutside(tenant.access.countries, [{ field: 'countryOfIncorporation', alpha3: organization.countryOfIncorporation }]));
    const [unknownIndustry, taken] = await Promise.all([
      referenceData.unknownIndustry(organization.industryType),
      registrationNumberTaken(tenantId, organization),
    ]);
    if (unknownIndustry.length > 0) throw new ValidationError(unknownIndustry);
    if (taken) throw organizationExists();

    const organizationId = newOrganizationId();
    const category = categorize(settings.categories, { customerType: 'ORGANIZATION', country: organization.countryOfIncorporation });
    const input: OnboardingInput = { tenantId, customerId: organizationId, tenantName, policy: policyFrom(settings) };
    const start = new WithStartWorkflowOperation(ORGANIZATION_ONBOARDING_WORKFLOW, {
      ...onboardingLabels('ORGANIZATION', input),
      workflowId: onboardingWorkflowId(tenantId, organizationId),
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      typedSearchAttributes: [
        { key: TenantIdKey, value: tenantId },
        { key: CustomerIdKey, value: organizationId },
        { key: CustomerTypeKey, value: 'ORGANIZATION' },
        { key: OnboardingStatusKey, value: 'REGISTERING' },
        { key: KybStatusKey, value: 'NOT_STARTED' },
        { key: DueRequirementKey, value: 'REGISTRATION' },
      ],
    });
    try {
      const receipt = await withDeadline(() =>
        temporal.workflow.executeUpdateWithStart(registerOrganizationUpdate, {
          args: [{ organization, representative, ...(category === null ? {} : { category }) }],
          startWorkflowOperation: start,
        }),
      );
      return { ...receipt, businessName: organization.businessName };
    } catch (error) {
      throw registrationError(error);
    }
  }

  return {
    /**
     * Sheds load past `maxInFlight` concurrent registrations (503 + Retry-After), as individual registration does.
     * `tenant`: the request's tenant as its guard read it (countries of operation, settings, name: no further read).
     */
    async register(tenant: RequestTenant, organization: OrganizationDetails, representative: Representative) {
      if (inFlight >= maxInFlight) throw new ServiceUnavailableError('Too many registrations in progress, please retry shortly');
      inFlight += 1;
      try {
        return await register(tenant, organization, representative);
      } finally {
        inFlight -= 1;
      }
    },
  };
}

export type OrganizationRegistrationService = ReturnType<typeof createOrganizationRegistration>;

function registrationError(error: unknown): unknown {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    if (error.cause.type === OrganizationAlreadyExists) return organizationExists();
    return new ServiceUnavailableError('Registration could not be completed, please retry');
  }
  if (isTemporalOutage(error)) return new ServiceUnavailableError();
  return error;
}
