import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { TENANT_TIERS } from '../../common/statuses';
import type { TenantService } from '../services/tenants';

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

export function mountAdminTenantRoutes(mount: Mount, tenants: TenantService) {
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/admin/tenants',
    summary: 'Create a tenant and its first OAuth client',
    tag: 'Platform administration',
    security: 'platformAdmin',
    body: createTenantBody,
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
}
