import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { pagination, tenantId } from '../schemas/params';
import { TENANT_TIERS } from '../../common/statuses';
import type { TenantService } from './tenants';
import { tenantSettingsSchema, type TenantSettingsService } from './tenant-settings';
import { tenantAccessChange, tenantPage, tenantView } from './admin-schemas';
import { tenantInScope } from './admin-scope';

const createTenantBody = z
  .strictObject({
    name: z.string().trim().min(1, 'Must not be empty').max(200),
    tier: z.enum(TENANT_TIERS),
  })
  .openapi('CreateTenant');

const createTenantResponse = z
  .object({
    tenantId: z.string(),
    name: z.string(),
    tier: z.enum(TENANT_TIERS),
    clientId: z.string(),
    clientSecret: z.string().openapi({ description: 'Shown once; only a hash is stored.' }),
  })
  .openapi('Tenant');

export function mountAdminTenantRoutes(mount: Mount, tenants: TenantService, settings: TenantSettingsService) {
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/admin/tenants',
    summary: 'Create a tenant and its first OAuth client',
    tag: 'Platform administration',
    security: 'staff',
    roles: ['PLATFORM_ADMIN'],
    body: createTenantBody,
    // The answer is a secret shown once and kept only hashed; replaying it would mean storing it.
    idempotent: false,
    responses: {
      201: { description: 'Tenant created; the client secret is shown only now', schema: createTenantResponse },
      400: { description: 'Invalid input' },
      401: { description: 'Missing or invalid platform admin token' },
    },
    handler: async ({ body }) => ({
      status: 201,
      body: await tenants.create(body.name, body.tier),
      headers: { 'Cache-Control': 'no-store' },
    }),
  });

  const tenantParams = z.object({ tenantId });
  mountRoute(mount, {
    method: 'get',
    path: '/api/v2.1/admin/tenants',
    summary: 'List tenants, oldest first, with their tier, capabilities, rate limit and countries (paginated)',
    tag: 'Platform administration',
    security: 'staff',
    roles: ['PLATFORM_ADMIN'],
    query: z.strictObject(pagination),
    responses: { 200: { description: 'A page of tenants', schema: tenantPage }, 400: { description: 'Invalid page or page_size' } },
    handler: async ({ query }) => {
      const { tenants: data, total } = await tenants.list({ page: query.page, pageSize: query.page_size });
      return { status: 200, body: { data, pagination: { page: query.page, page_size: query.page_size, total } } };
    },
  });

  mountRoute(mount, {
    method: 'get',
    path: '/api/v2.1/admin/tenants/{tenantId}',
    summary: 'A tenant: its tier, what it holds (capabilities, rate limit), its custom settings and countries of operation',
    tag: 'Platform administration',
    security: 'staff',
    roles: ['PLATFORM_ADMIN', 'TENANT_ADMIN', 'OPERATOR'],
    params: tenantParams,
    responses: { 200: { description: 'The tenant', schema: tenantView }, 404: { description: 'No such tenant' } },
    handler: async ({ params, req }) => ({ status: 200, body: await tenants.get(tenantInScope(req, params.tenantId)) }),
  });

  mountRoute(mount, {
    method: 'patch',
    path: '/api/v2.1/admin/tenants/{tenantId}',
    summary:
      "Change a tenant's tier, custom capabilities and rate limit (CUSTOM only; leaving CUSTOM clears them) or countries of operation; applies from the tenant's next request",
    tag: 'Platform administration',
    security: 'staff',
    roles: ['PLATFORM_ADMIN'],
    params: tenantParams,
    body: tenantAccessChange,
    responses: {
      200: { description: 'The tenant after the change', schema: tenantView },
      400: { description: 'Invalid input, or custom settings for a tier other than CUSTOM' },
      404: { description: 'No such tenant' },
    },
    handler: async ({ params, body }) => ({ status: 200, body: await tenants.changeAccess(params.tenantId, body) }),
  });

  mountRoute(mount, {
    method: 'get',
    path: '/api/v2.1/admin/tenants/{tenantId}/settings',
    summary: "A tenant's onboarding settings (unset values use the documented defaults)",
    tag: 'Platform administration',
    security: 'staff',
    roles: ['PLATFORM_ADMIN', 'TENANT_ADMIN', 'OPERATOR'],
    params: tenantParams,
    responses: { 200: { description: 'Settings', schema: tenantSettingsSchema }, 404: { description: 'No such tenant' } },
    handler: async ({ params, req }) => ({ status: 200, body: await settings.get(tenantInScope(req, params.tenantId)) }),
  });

  mountRoute(mount, {
    method: 'put',
    path: '/api/v2.1/admin/tenants/{tenantId}/settings',
    summary: "Change a tenant's onboarding settings (onboardings already running keep theirs)",
    tag: 'Platform administration',
    security: 'staff',
    roles: ['PLATFORM_ADMIN', 'TENANT_ADMIN'],
    params: tenantParams,
    body: tenantSettingsSchema,
    responses: {
      200: { description: 'Settings after the change', schema: tenantSettingsSchema },
      400: { description: 'Invalid input' },
      404: { description: 'No such tenant' },
    },
    handler: async ({ params, body, req }) => ({ status: 200, body: await settings.update(tenantInScope(req, params.tenantId), body) }),
  });
}
