/**
 * Registers an individual: hashes the password here at the edge, stages it (and any tax ids, sealed) outside
 * Temporal, then starts the customer's onboarding workflow and delivers the registration in one
 * update-with-start call. The answer comes back once the workflow has
 * committed the customer row.
 */
import { randomBytes } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from '../../common/db';
import {
  FailureType,
  INDIVIDUAL_ONBOARDING_WORKFLOW,
  onboardingWorkflowId,
  registerUpdate,
  type OnboardingInput,
  type ProfileDetails,
} from '../../common/onboarding-contract';
import { CustomerIdKey, CustomerTypeKey, KycStatusKey, OnboardingStatusKey, TenantIdKey } from '../../common/search-attributes';
import { ServiceUnavailableError, ValidationError } from '../http/errors';
import type { FieldCipher } from '../../common/field-encryption';
import { sealTaxIds, type TaxId } from '../../common/tax-ids';
import type { PasswordHasher } from './passwords';
import { discardRegistrationSecrets, stageRegistrationSecrets } from './registration-secrets';
import { isTemporalOutage } from '../onboarding/service';
import { temporalDeadline } from '../onboarding/temporal-deadline';
import { policyFrom } from '../tenancy/tenant-settings';
import { countriesOutside, refuseCountriesOutside } from '../tenancy/countries-of-operation';
import type { RequestTenant } from '../tenancy/access';
import { onboardingLabels } from '../../common/workflow-labels';
import { categorize } from '../profiles/categories';

export interface IndividualRegistrationRequest {
  firstName: string;
  lastName: string;
  email: string;
  /** v1 and v2.1 registrations carry one; v2 registrations by the tenant do not. */
  password?: string;
  phone?: string;
  marketingConsent: boolean;
  termsAccepted?: boolean;
  profile?: ProfileDetails;
  /** Where the request named the country of residence, for the SCT03 refusal (default `country_of_residence`). */
  residenceField?: string;
  /** The rest of a v2 body, without its tax ids: those come in `taxIds` and never reach Temporal. */
  details?: Record<string, unknown>;
  taxIds?: TaxId[];
  /** financial_profile.monthly_volume_usd of a v2 body, for the tenant's category rules. */
  monthlyVolumeUsd?: number;
}

export interface RegistrationDeps {
  db: Knex;
  temporal: Client;
  taskQueue: string;
  passwords: PasswordHasher;
  /** Seals tax ids before they are staged (common/tax-ids.ts). */
  taxIdCipher: FieldCipher;
  /** Concurrent registrations this process accepts before answering 503. */
  maxInFlight: number;
  /** Deadline for the update-with-start call (TEMPORAL_CALL_TIMEOUT_MS). */
  temporalCallTimeoutMs: number;
}

const emailTaken = () => new ValidationError([{ field: 'email', message: 'Email address is already registered' }]);

export function newCustomerId(): string {
  return `cust_${randomBytes(12).toString('hex')}`;
}

export function createRegistrationService(deps: RegistrationDeps) {
  const { db, temporal, taskQueue, passwords, taxIdCipher, maxInFlight, temporalCallTimeoutMs } = deps;
  const withDeadline = temporalDeadline(temporal, temporalCallTimeoutMs);
  async function emailInUse(tenantId: string, email: string): Promise<boolean> {
    const row = await db('customers').where({ tenant_id: tenantId }).whereRaw('lower(email) = lower(?)', [email]).first('id');
    return row !== undefined;
  }

  let inFlight = 0;

  return {
    /**
     * Sheds load past `maxInFlight` concurrent registrations (503 + Retry-After) instead of queueing work that
     * callers will have given up on: under overload that backlog made every registration slow, not just the extra.
     */
    /**
     * `tenant`: the request's tenant as its guard read it (api/tenancy/access.ts), so its countries of operation
     * (SCT03), settings and name cost no further query and are those in force for this very request.
     */
    async registerIndividual(tenant: RequestTenant, request: IndividualRegistrationRequest) {
      if (inFlight >= maxInFlight) throw new ServiceUnavailableError('Too many registrations in progress, please retry shortly');
      inFlight += 1;
      try {
        return await register(tenant, request);
      } finally {
        inFlight -= 1;
      }
    },
  };

  async function register(tenant: RequestTenant, request: IndividualRegistrationRequest) {
    {
      const { access: { tenantId }, settings, name: tenantName } = tenant;
      const residence = request.profile ? [{ field: request.residenceField ?? 'country_of_residence', alpha3: request.profile.countryOfResidence }] : [];
      refuseCountriesOutside(countriesOutside(tenant.access.countries, residence));
      // The cheap duplicate check spares a workflow for the common case; the unique index settles races.
      const [inUse, passwordHash] = await Promise.all([
        emailInUse(tenantId, request.email),
        request.password === undefined ? undefined : passwords.hash(request.password),
      ]);
      if (inUse) throw emailTaken();

      const customerId = newCustomerId();
      const category = categorize(settings.categories, {
        customerType: 'INDIVIDUAL',
        country: request.profile?.countryOfResidence,
        monthlyVolumeUsd: request.monthlyVolumeUsd,
      });
      const taxIds = request.taxIds?.length ? sealTaxIds(taxIdCipher, tenantId, customerId, request.taxIds) : undefined;
      const stagedSecrets = passwordHash !== undefined || taxIds !== undefined;
      if (stagedSecrets) await stageRegistrationSecrets(db, tenantId, customerId, { passwordHash, taxIds });
      const input: OnboardingInput = { tenantId, customerId, tenantName, policy: policyFrom(settings) };
      const start = new WithStartWorkflowOperation(INDIVIDUAL_ONBOARDING_WORKFLOW, {
        ...onboardingLabels('INDIVIDUAL', input),
        workflowId: onboardingWorkflowId(tenantId, customerId),
        taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        typedSearchAttributes: [
          { key: TenantIdKey, value: tenantId },
          { key: CustomerIdKey, value: customerId },
          { key: CustomerTypeKey, value: 'INDIVIDUAL' },
          { key: OnboardingStatusKey, value: 'REGISTERING' },
          { key: KycStatusKey, value: 'NOT_STARTED' },
        ],
      });
      try {
        const receipt = await withDeadline(() =>
          temporal.workflow.executeUpdateWithStart(registerUpdate, {
            args: [
              {
                firstName: request.firstName,
                lastName: request.lastName,
                email: request.email,
                phone: request.phone,
                ...(stagedSecrets ? { stagedSecrets } : {}),
                marketingConsent: request.marketingConsent,
                termsAcceptedAt: request.termsAccepted ? new Date().toISOString() : undefined,
                profile: request.profile,
                details: request.details,
                ...(category === null ? {} : { category }),
              },
            ],
            startWorkflowOperation: start,
          }),
        );
        return {
          customerId,
          email: request.email,
          firstName: request.firstName,
          lastName: request.lastName,
          status: receipt.status,
          createdAt: receipt.createdAt,
          verificationEmailSent: true,
        };
      } catch (error) {
        if (stagedSecrets) await discardRegistrationSecrets(db, tenantId, customerId);
        throw registrationError(error);
      }
    }
  }
}

function registrationError(error: unknown): unknown {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    if (error.cause.type === FailureType.EmailAlreadyRegistered) return emailTaken();
    return new ServiceUnavailableError('Registration could not be completed, please retry');
  }
  if (isTemporalOutage(error)) return new ServiceUnavailableError();
  return error;
}
