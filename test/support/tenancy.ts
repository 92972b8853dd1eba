/** Tenants of a given tier or countries, set the way the platform admin sets them: through the admin routes. */
import type { Harness } from './harness';
import { createTenant, http, type HttpResult, type TenantSession } from './tenant-client';
import { staffHeaders } from './staff';

export const asPlatformAdmin = async (h: Harness, method: string, path: string, body?: unknown): Promise<HttpResult> =>
  http(h.api.url, method, path, { body, headers: await staffHeaders(h, 'PLATFORM_ADMIN') });

export async function changeTenantAccess(h: Harness, tenantId: string, change: Record<string, unknown>): Promise<void> {
  const res = await asPlatformAdmin(h, 'PATCH', `/api/v2.1/admin/tenants/${tenantId}`, change);
  if (res.status !== 200) throw new Error(`tenant access change failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** A tenant (created PROFESSIONAL, as every test tenant) changed to `change`: e.g. `{ tier: 'STARTER' }`. */
export async function tenantWithAccess(h: Harness, change: Record<string, unknown>, name = 'Tiered Bank'): Promise<TenantSession> {
  const tenant = await createTenant(h, name);
  await changeTenantAccess(h, tenant.tenantId, change);
  return tenant;
}

/** Seed 000's 403 for a tenant whose tier lacks the route's capability, word for word. */
export const INSUFFICIENT_PERMISSIONS = { error: 'FORBIDDEN', message: 'Insufficient permissions' };
