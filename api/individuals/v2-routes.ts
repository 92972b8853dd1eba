/**
 * The v2 individual API (seed 004): the tenant registers a customer with the whole profile in one call, and
 * manages customers afterwards (reading them: api/profiles/). The same onboarding workflow runs, starting with the profile complete.
 */
import { CUSTOMER_STATUSES } from '../../common/statuses';
import { actorLabel, actorOf } from '../auth/actor';
import { tenantOf } from '../auth/guards';
import { ValidationError } from '../http/errors';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { customerId, pagination } from '../schemas/params';
import { individualV2Request, relianceNotAvailable, type IndividualV2Request } from './v2-schemas';
import type { CustomerService } from '../customers/service';
import type { OnboardingService } from '../onboarding/service';
import type { OnboardingRecords } from '../onboarding/records';
import type { ReferenceDataService } from '../reference/service';
import type { createRegistrationService } from './registration';
import type { TenantAccessService } from '../tenancy/access';
import { DEFAULT_POLICY } from '../../common/onboarding-policy';
import type { ProfileDetails } from '../../common/onboarding-contract';
import { referencesOf, storedAddressOf } from '../profiles/fields';

const DEFAULT_TOS_URL = 'https://onboarding.local/tos';

export interface V2Deps {
  customers: CustomerService;
  records: OnboardingRecords;
  registration: ReturnType<typeof createRegistrationService>;
  referenceData: ReferenceDataService;
  /** The request's tenant (settings, name, countries of operation) as its guard read it: no second read of the row. */
  tenants: Pick<TenantAccessService, 'tenantForRequest'>;
  onboarding: OnboardingService;
}

function profileOf(body: IndividualV2Request): ProfileDetails {
  const { basic_info: info } = body;
  return { dateOfBirth: info.dob, nationality: info.primary_nationality, countryOfResidence: info.country_of_residence, address: storedAddressOf(body.address) };
}

export function mountV2CustomerRoutes(mount: Mount, deps: V2Deps) {
  const customerParams = z.object({ customerId });

  mountRoute(mount, {
    method: 'post',
    path: '/v2/customers/individual',
    summary: 'Create an individual customer with the full profile (v2)',
    tag: 'Customers v2',
    security: 'tenant',
    capability: 'SCT01',
    body: individualV2Request,
    responses: {
      201: {
        description: 'Customer created; onboarding started with the profile complete',
        schema: z.object({ data: z.object({ customer_id: z.string(), tos_policies_url: z.string() }) }),
      },
      400: { description: "Invalid input, unknown reference ids, the e-mail is already registered, or a country of residence outside the tenant's countries of operation" },
      423: { description: 'RELIANCE is not available for your client' },
    },
    handler: async ({ body, req }) => {
      const tenant = await deps.tenants.tenantForRequest(req, tenantOf(req));
      const { settings } = tenant;
      if (body.verification_type === 'RELIANCE' && !settings.relianceEnabled) throw relianceNotAvailable();
      const missing = await deps.referenceData.missingIds(referencesOf(body.financial_profile));
      if (missing.length > 0) throw new ValidationError(missing);
      const { basic_info: info } = body;
      const { tax_info: taxIds, ...basicInfoWithoutTaxIds } = info;
      const created = await deps.registration.registerIndividual(tenant, {
        firstName: info.first_name_en ?? info.first_name,
        lastName: info.last_name_en ?? info.last_name,
        email: info.email,
        phone: info.phone,
        marketingConsent: false,
        profile: profileOf(body),
        residenceField: 'basic_info.country_of_residence',
        details: { ...body, basic_info: basicInfoWithoutTaxIds },
        taxIds,
        monthlyVolumeUsd: body.financial_profile.monthly_volume_usd,
      });
      const policies = (settings.requiredConsents ?? DEFAULT_POLICY.requiredConsents).join(',');
      const url = new URL(settings.tosPoliciesUrl ?? DEFAULT_TOS_URL);
      url.searchParams.set('customer_id', created.customerId);
      url.searchParams.set('tos_policies_value', policies);
      return { status: 201, body: { data: { customer_id: created.customerId, tos_policies_url: url.toString() } } };
    },
  });

  mountRoute(mount, {
    method: 'put',
    path: '/v2/persons/{customerId}/{customerStatus}',
    summary: 'Change an active customer\'s status (SUSPENDED, BLOCKED, CLOSED, back to ACTIVE)',
    tag: 'Customers v2',
    security: 'tenant',
    capability: 'SCT01',
    params: customerParams.extend({ customerStatus: z.enum(CUSTOMER_STATUSES) }),
    responses: {
      200: { description: 'Status changed' },
      404: { description: 'No such customer for this tenant' },
      409: { description: 'That change is not allowed from the current status, or compliance blocked the customer (only a compliance officer lifts that block): INVALID_STATE' },
    },
    handler: async ({ params, req }) => {
      const changed = await deps.customers.changeStatusByStaff({
        tenantId: tenantOf(req),
        customerId: params.customerId,
        target: params.customerStatus,
        actor: actorLabel(actorOf(req)),
      });
      return { status: 200, body: { data: { customer_id: params.customerId, status: changed } } };
    },
  });

  mountRoute(mount, {
    method: 'get',
    path: '/v2/customer/status/{customerStatus}',
    summary: 'List the tenant\'s customers in a status (paginated)',
    tag: 'Customers v2',
    security: 'tenant',
    capability: 'SCT01',
    params: z.object({ customerStatus: z.enum(CUSTOMER_STATUSES) }),
    query: z.strictObject(pagination),
    responses: { 200: { description: 'A page of customers' } },
    handler: async ({ params, query, req }) => {
      const tenantId = tenantOf(req);
      const { rows, total } = await deps.customers.listByStatus(tenantId, params.customerStatus, { page: query.page, pageSize: query.page_size });
      return {
        status: 200,
        body: {
          data: rows.map((r) => ({ customer_id: r.id, email: r.email, first_name: r.first_name, last_name: r.last_name, status: r.status, created_at: (r.created_at as Date).toISOString() })),
          pagination: { page: query.page, page_size: query.page_size, total },
        },
      };
    },
  });

  mountRoute(mount, {
    method: 'get',
    path: '/v2/verification-history/{customerId}',
    summary: 'Status changes and KYC verification outcomes of a customer (reasons and reviewers are for staff only)',
    tag: 'Customers v2',
    security: 'tenant',
    capability: 'SCT01',
    params: customerParams,
    responses: { 200: { description: 'History, oldest first' }, 404: { description: 'No such customer for this tenant' } },
    handler: async ({ params, req }) => {
      const tenantId = tenantOf(req);
      await deps.onboarding.customerStatus(tenantId, params.customerId);
      return { status: 200, body: { data: await deps.records.verificationHistory(tenantId, params.customerId) } };
    },
  });
}
