/**
 * `tenantOrCustomer` routes: a tenant's OAuth token as on any tenant route, or a customer's session token, whose
 * session must be live on every request (a logout or a password reset stops it at once). With a customer token
 * the route reaches that customer's objects only: `customerScope` answers 404 for any other customer id in the
 * path, as for an object of another tenant.
 */
import type { Request, RequestHandler } from 'express';
import { bearerToken } from '../auth/guards';
import type { TokenService } from '../auth/tokens';
import { ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../http/errors';
import type { RouteChecks } from '../http/route';
import type { CustomerSessions } from './sessions';

/** Path parameters that name the customer a route acts on (an individual's id under its several v2 names). */
const OWNER_PARAMS = ['customerId', 'profileId', 'organizationId', 'orgId'] as const;

/** `tenantGuard` is the tenant routes' own guard, so a tenant token is checked here exactly as there. */
export function requireTenantOrCustomer(tokens: TokenService, tenantGuard: RequestHandler, sessions: CustomerSessions): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req);
    if (token && (await tokens.verify(token))) return tenantGuard(req, res, next);
    const claims = token ? await sessions.authenticate(token) : undefined;
    if (!claims) throw new UnauthorizedError();
    const headerTenant = req.get('x-tenant-id');
    if (!headerTenant) throw new ValidationError([{ field: 'X-Tenant-ID', message: 'Required header' }]);
    if (headerTenant !== claims.tenantId) throw new ForbiddenError('The access token does not belong to this tenant');
    req.tenantId = claims.tenantId;
    req.credentialId = `customer:${claims.sessionId}`;
    req.actor = { type: 'customer', id: claims.customerId, tenantId: claims.tenantId, customerId: claims.customerId, sessionId: claims.sessionId };
    next();
  };
}

/**
 * The RouteChecks contribution: on `tenantOrCustomer` routes a customer reaches only paths naming their own id.
 * A route open to customers must name its customer in the path; mounting one that does not is refused, since a
 * customer would then reach the whole tenant's data.
 */
export const customerScope: RouteChecks = (route) => {
  if (route.security !== 'tenantOrCustomer') return [];
  if (!OWNER_PARAMS.some((name) => route.path.includes(`{${name}}`))) {
    throw new Error(`${route.method.toUpperCase()} ${route.path} is open to customers and names no customer in its path`);
  }
  const check: RequestHandler = (req, _res, next) => {
    const actor = req.actor;
    if (actor?.type === 'customer' && !ownsPath(req, actor.customerId)) throw new NotFoundError();
    next();
  };
  return [check];
};

function ownsPath(req: Request, customerId: string): boolean {
  const params = req.params as Record<string, string | undefined>;
  return OWNER_PARAMS.every((name) => params[name] === undefined || params[name] === customerId);
}

/** Routes a customer's own session acts on (logout, 2FA): a tenant token has no session to act on. */
export function customerActor(req: Request) {
  const actor = req.actor;
  if (actor?.type !== 'customer') throw new ForbiddenError("Only the customer's own session can do this");
  return actor;
}
