/**
 * The capability gate: a tenant route runs only for a tenant whose tier (or, for CUSTOM, whose configured set)
 * holds one of the capabilities the route declares. It runs after authentication and before the route parses
 * its input, so a refused call reads and writes nothing; the tenant's access is the one read the guard already
 * made for this request (api/tenancy/access.ts memoizes it).
 */
import type { RequestHandler } from 'express';
import { tenantOf } from '../auth/guards';
import { ForbiddenError } from '../http/errors';
import { TENANT_SECURITY, type RouteChecks } from '../http/route';
import type { TenantAccessService } from './access';

/** Seed 000's body for a tenant without the capability, word for word. */
export const insufficientPermissions = () => new ForbiddenError('Insufficient permissions');

export function capabilityGate(access: Pick<TenantAccessService, 'forRequest'>): RouteChecks {
  return (route) => {
    if (!TENANT_SECURITY.has(route.security)) return [];
    const anyOf = [route.capability ?? []].flat();
    const gate: RequestHandler = async (req, _res, next) => {
      const { capabilities } = await access.forRequest(req, tenantOf(req));
      if (!anyOf.some((capability) => capabilities.includes(capability))) throw insufficientPermissions();
      next();
    };
    return [gate];
  };
}
