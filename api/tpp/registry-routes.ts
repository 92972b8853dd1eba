/**
 * The tenant's register of third-party providers (SCT12: Enterprise and Custom tiers). Mounted before the v2
 * `/v2/customer/{customerId}` routes, which would otherwise take `tpps` for a customer id.
 */
import { tenantOf } from '../auth/guards';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import type { TppRegistry } from './registry';
import { registerTppBody, tppListQuery, tppPage, tppParams, tppView, updateTppBody } from './schemas';

const BASE = '/v2/customer/tpps';
const access = { tag: 'Third-party providers', security: 'tenant', capability: 'SCT12' } as const;
const unauthorized = { 401: { description: 'Missing or invalid access token' } };
const notFound = { 404: { description: 'No such TPP for this tenant' } };
const answer = z.object({ data: tppView });

export function mountTppRegistryRoutes(mount: Mount, registry: TppRegistry) {
  mountRoute(mount, {
    ...access,
    method: 'post',
    path: BASE,
    summary: 'Register a third-party provider (ACTIVE from the start)',
    body: registerTppBody,
    responses: {
      201: { description: 'Registered', schema: answer },
      400: { description: 'Invalid input (e.g. an unknown country, no role, a repeated role)' },
      ...unauthorized,
      409: { description: 'A TPP with this authorisation number is already registered in the tenant (CONFLICT)' },
    },
    handler: async ({ body, req }) => ({ status: 201, body: { data: await registry.register(tenantOf(req), body) } }),
  });

  mountRoute(mount, {
    ...access,
    method: 'get',
    path: BASE,
    summary: "The tenant's TPPs, newest first; filter by status or role, page with limit and cursor",
    query: tppListQuery,
    responses: { 200: { description: 'A page of TPPs', schema: tppPage }, 400: { description: 'Invalid filter or cursor' }, ...unauthorized },
    handler: async ({ query, req }) => ({ status: 200, body: await registry.list(tenantOf(req), query) }),
  });

  mountRoute(mount, {
    ...access,
    method: 'get',
    path: `${BASE}/{tppId}`,
    summary: 'One TPP',
    params: tppParams,
    responses: { 200: { description: 'The TPP', schema: answer }, ...unauthorized, ...notFound },
    handler: async ({ params, req }) => ({ status: 200, body: { data: await registry.get(tenantOf(req), params.tppId) } }),
  });

  mountRoute(mount, {
    ...access,
    method: 'patch',
    path: `${BASE}/{tppId}`,
    summary: 'Rename a TPP, change its roles or status; SUSPENDED refuses its grants until ACTIVE again, REVOKED (final) revokes them',
    params: tppParams,
    body: updateTppBody,
    responses: {
      200: { description: 'The TPP as changed', schema: answer },
      400: { description: 'Invalid input, or no field given' },
      ...unauthorized,
      ...notFound,
      409: { description: 'The TPP is REVOKED, which is final (CONFLICT)' },
    },
    handler: async ({ params, body, req }) => ({ status: 200, body: { data: await registry.update(tenantOf(req), params.tppId, body) } }),
  });
}
