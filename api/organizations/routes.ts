/**
 * Organizations (B2B): registration in v2 (seed 000) and v2.1 (seed 002), the profile and its status, staff
 * status changes, the start of KYB, and the compliance decision on a case in review.
 */
import { ORGANIZATION_STATUSES } from '../../common/statuses';
import { actorLabel, actorOf } from '../auth/actor';
import { tenantOf } from '../auth/guards';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { organizationId } from '../schemas/params';
import { requireSolvedCaptcha, type CaptchaVerifier } from '../auth/captcha';
import { representativeOf, type OrganizationRegistrationService } from './registration';
import {
  kybStarted,
  organizationCreated,
  organizationRegistered,
  organizationRegistrationRequest,
  organizationV2Request,
  organizationView,
  reviewDecisionRequest,
} from './schemas';
import type { OrganizationService } from './service';
import type { TenantAccessService } from '../tenancy/access';
import { fourEyesResponses } from '../review/decision-responses';
import type { FourEyes } from '../review/four-eyes';

const TAG = 'Organizations';
const orgParams = z.object({ organizationId });
const statusParams = orgParams.extend({ status: z.enum(ORGANIZATION_STATUSES) });
const tenantErrors = {
  401: { description: 'Missing or invalid access token' },
  403: { description: "X-Tenant-ID is not the token's tenant" },
};
const registrationErrors = {
  400: { description: "Invalid input (each field named), an unknown industry code, or a country of incorporation outside the tenant's countries of operation" },
  409: { description: 'Organization already exists: the same registration number in the same country (CONFLICT)' },
  503: { description: 'Too many registrations in progress, or a dependency is down; retry after Retry-After' },
  ...tenantErrors,
};

export function mountOrganizationRoutes(
  mount: Mount,
  deps: {
    registration: OrganizationRegistrationService;
    organizations: OrganizationService;
    captcha: CaptchaVerifier;
    fourEyes: FourEyes;
    /** The request's tenant as its guard read it (api/tenancy/access.ts). */
    tenants: Pick<TenantAccessService, 'tenantForRequest'>;
  },
) {
  const { registration, organizations } = deps;

  mountRoute(mount, {
    method: 'post',
    path: '/v2/organization',
    summary: 'Create an organization and start its onboarding (v2)',
    tag: TAG,
    security: 'tenant',
    capability: 'SCT02',
    body: organizationV2Request,
    responses: { 201: { description: 'Organization created', schema: organizationCreated }, ...registrationErrors },
    handler: async ({ body, req }) => {
      const { representative, ...organization } = body;
      const tenant = await deps.tenants.tenantForRequest(req, tenantOf(req));
      const created = await registration.register(tenant, organization, representativeOf(organization, representative));
      const { organizationId: id, businessName, status, createdAt, kybStatus } = created;
      return { status: 201, body: { organizationId: id, businessName, status, createdAt, kybStatus } };
    },
  });

  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/customer/organization/registration',
    summary: 'Register an organization with its representative, whose e-mail then gets a verification code',
    tag: TAG,
    security: 'tenant',
    capability: 'SCT02',
    body: organizationRegistrationRequest,
    responses: { 201: { description: 'Organization registered; a code went to the representative', schema: organizationRegistered }, ...registrationErrors },
    handler: async ({ body, req }) => {
      const { captcha, representative, ...organization } = body;
      await requireSolvedCaptcha(deps.captcha, captcha);
      const tenant = await deps.tenants.tenantForRequest(req, tenantOf(req));
      const created = await registration.register(tenant, organization, representative);
      return { status: 201, body: { ...created, verificationEmailSent: true } };
    },
  });

  mountRoute(mount, {
    method: 'get',
    path: '/v2/organization/{organizationId}',
    summary: 'Get an organization: its profile, representative, status, KYB status and requirements',
    tag: TAG,
    security: 'tenant',
    capability: 'SCT02',
    params: orgParams,
    responses: { 200: { description: 'The organization', schema: organizationView }, 404: { description: 'No such organization for this tenant' }, ...tenantErrors },
    handler: async ({ params, req }) => ({ status: 200, body: await organizations.get(tenantOf(req), params.organizationId) }),
  });

  mountRoute(mount, {
    method: 'get',
    path: '/v2/organization/{organizationId}/{status}',
    summary: 'Get an organization if it is in the given status (404 otherwise)',
    tag: TAG,
    security: 'tenant',
    capability: 'SCT02',
    params: statusParams,
    responses: {
      200: { description: 'The organization, which is in that status', schema: organizationView },
      404: { description: 'No such organization for this tenant, or it is not in that status' },
      ...tenantErrors,
    },
    handler: async ({ params, req }) => ({ status: 200, body: await organizations.getInStatus(tenantOf(req), params.organizationId, params.status) }),
  });

  mountRoute(mount, {
    method: 'put',
    path: '/v2/organization/{organizationId}/{status}',
    summary: "Change an active organization's status (SUSPENDED, BLOCKED, CLOSED, back to ACTIVE)",
    tag: TAG,
    security: 'tenant',
    capability: 'SCT02',
    params: statusParams,
    responses: {
      200: { description: 'Status changed', schema: z.object({ organizationId: z.string(), status: z.enum(ORGANIZATION_STATUSES) }) },
      404: { description: 'No such organization for this tenant' },
      409: { description: 'That change is not allowed from the current status, or compliance blocked the organization (only a compliance officer lifts that block): INVALID_STATE' },
      ...tenantErrors,
    },
    handler: async ({ params, req }) => ({
      status: 200,
      body: await organizations.changeStatus(tenantOf(req), params.organizationId, params.status, actorLabel(actorOf(req))),
    }),
  });

  mountRoute(mount, {
    method: 'put',
    path: '/v2/kyb/initiateKYBStatus/{organizationId}',
    summary: "Start the organization's KYB once what it needs is there",
    tag: TAG,
    security: 'tenant',
    capability: 'SCT02',
    params: orgParams,
    responses: {
      202: { description: 'KYB started', schema: kybStarted },
      404: { description: 'No such organization for this tenant' },
      409: { description: 'Too early or too late: INVALID_STATE, details name the status and what is due' },
      ...tenantErrors,
    },
    handler: async ({ params, req }) => ({ status: 202, body: await organizations.startKyb(tenantOf(req), params.organizationId) }),
  });

  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/admin/organizations/{organizationId}/review-decision',
    summary: 'Record a compliance decision on an organization in manual review (who, why; when is recorded)',
    tag: 'Platform administration',
    security: 'staff',
    roles: ['COMPLIANCE_OFFICER'],
    params: orgParams,
    body: reviewDecisionRequest,
    responses: {
      200: { description: 'Decision recorded with the signed-in staff member as reviewer; the organization is APPROVED or REJECTED' },
      ...fourEyesResponses('the organization is not in manual review'),
      400: { description: 'Invalid input (a body naming a reviewer is refused: the reviewer is the session\'s staff member)' },
      401: { description: 'Missing or invalid platform admin token' },
      404: { description: 'No such organization' },
    },
    handler: async ({ params, body, req }) =>
      deps.fourEyes.decide(req, { caseType: 'ORGANIZATION', subjectId: params.organizationId, decisionKind: 'ORGANIZATION_REVIEW', ...body }, async (reason) => ({
        status: 200,
        body: await organizations.decideReview(params.organizationId, { ...body, reason, reviewer: actorLabel(actorOf(req)) }),
      })),
  });
}
