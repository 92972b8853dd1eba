/**
 * Reading customers after (and during) onboarding: the tenant's customer list, one customer's whole profile, and
 * its category. The list is mounted before GET /v2/customer/{customerId}: Express matches in order, and
 * "profiles" would otherwise be read (and refused) as a customer id.
 */
import { tenantOf } from '../auth/guards';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { subjectId } from '../schemas/params';
import { categoryCode } from './categories';
import { customerCategory } from './category-assignment';
import { customerListPage, customerListQuery } from './customer-list';
import type { ProfileReads } from './index';
import { customerProfileResponse } from './view';

const customerParams = z.object({ customerId: subjectId });
const notFound = { description: 'No such customer for this tenant (NOT_FOUND)' };
const badId = { description: 'customerId is not a cust_ or org_ id (VALIDATION_ERROR)' };

export function mountProfileReadRoutes(mount: Mount, profiles: ProfileReads) {
  mountRoute(mount, {
    method: 'get',
    path: '/v2/customer/profiles',
    summary: "The tenant's customers, newest first: filtered by status, type, category, creation time or e-mail prefix, in cursor pages",
    tag: 'Profiles',
    security: 'tenant',
    capability: ['SCT01', 'SCT02'],
    query: customerListQuery,
    responses: {
      200: { description: 'A page of customers', schema: customerListPage },
      400: { description: 'A parameter is invalid, created_from is after created_to, or the cursor is not one this list gave for these filters (VALIDATION_ERROR naming it)' },
    },
    handler: async ({ query, req }) => ({ status: 200, body: await profiles.list(tenantOf(req), query) }),
  });

  for (const [path, summary] of [
    ['/v2/customer/{customerId}', 'Get a customer: the whole stored profile (v2)'],
    ['/v2/profile/{customerId}', "Get a customer's profile: the whole stored profile (v2)"],
  ] as const) {
    mountRoute(mount, {
      method: 'get',
      path,
      summary,
      tag: 'Profiles',
      security: 'tenant',
      capability: ['SCT01', 'SCT02'],
      params: customerParams,
      responses: {
        200: { description: "The customer in seed 004's field names; tax ids masked; sections not stored are null; an organization has no individual sections", schema: customerProfileResponse },
        400: badId,
        404: notFound,
      },
      handler: async ({ params, req }) => ({ status: 200, body: { data: await profiles.view(tenantOf(req), params.customerId) } }),
    });
  }

  mountRoute(mount, {
    method: 'put',
    path: '/v2/customer/{customerId}/category',
    summary: "Assign a customer's category, or hand it back to the tenant's rules (null)",
    tag: 'Profiles',
    security: 'tenant',
    capability: ['SCT01', 'SCT02'],
    params: customerParams,
    body: z.strictObject({ category: categoryCode.nullable().openapi({ description: "One of the tenant's category codes; null: the rules decide again" }) }).openapi('CustomerCategoryAssignment'),
    responses: {
      200: { description: 'The category now, and where it came from', schema: z.object({ data: customerCategory }) },
      400: { description: "Invalid body, or a code that is not one of the tenant's categories (VALIDATION_ERROR naming category)" },
      404: notFound,
    },
    handler: async ({ params, body, req }) => ({
      status: 200,
      body: { data: await profiles.categories.assign(tenantOf(req), params.customerId, body.category) },
    }),
  });
}
