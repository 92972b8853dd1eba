import type { Request } from 'express';
import { actorOf, assertTenantScope } from '../auth/actor';

/**
 * The tenant a staff route acts on, once the request's actor may act on it: a TENANT_ADMIN only on their own
 * tenant (another tenant answers 404, as if it did not exist); platform-wide roles on any.
 */
export function tenantInScope(req: Request, tenantId: string): string {
  assertTenantScope(actorOf(req), tenantId);
  return tenantId;
}
