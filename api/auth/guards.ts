/**
 * Request guards. A Customer API call needs a valid bearer token and an X-Tenant-ID naming the token's tenant;
 * the tenant id then comes from the token, never from the header alone. Staff routes have their own guard
 * (api/staff/authenticator.ts); the platform token only bootstraps the first staff account.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../http/errors';
import type { TokenService } from './tokens';
import type { TenantAccessService } from '../tenancy/access';

declare module 'express-serve-static-core' {
  interface Request {
    tenantId?: string;
    /** The credential the request came with (OAuth client, API key or platform admin), for Idempotency-Key scopes. */
    credentialId?: string;
  }
}

export function bearerToken(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return match?.[1];
}

/**
 * A token is accepted while its client is live at the secret version it was issued under: one query, which also
 * reads the tenant's access for the checks that follow (api/tenancy/access.ts). A revoked client's tokens, and
 * tokens issued before a rotation, are refused at their next request.
 */
export function requireTenant(tokens: TokenService, access: Pick<TenantAccessService, 'forTokenClient'>): RequestHandler {
  return async (req, _res, next) => {
    const token = bearerToken(req);
    const claims = token ? await tokens.verify(token) : undefined;
    if (!claims) throw new UnauthorizedError();
    const headerTenant = req.get('x-tenant-id');
    if (!headerTenant) throw new ValidationError([{ field: 'X-Tenant-ID', message: 'Required header' }]);
    if (headerTenant !== claims.tenantId) throw new ForbiddenError('The access token does not belong to this tenant');
    if (!(await access.forTokenClient(req, claims.tenantId, claims))) throw new UnauthorizedError('The access token is no longer valid');
    req.tenantId = claims.tenantId;
    req.credentialId = `oauth:${claims.clientId}`;
    req.actor = { type: 'tenant', id: req.credentialId, tenantId: claims.tenantId };
    next();
  };
}

/** The tenant a guarded request acts for. */
export function tenantOf(req: Request): string {
  if (!req.tenantId) throw new UnauthorizedError();
  return req.tenantId;
}

export function secretsEqual(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The static platform token; once PLATFORM_ADMIN_TOKEN_ENABLED=false, nothing it presents is accepted. */
export function requirePlatformAdmin(adminToken: string, enabled = true): RequestHandler {
  return (req, _res, next) => {
    const token = bearerToken(req);
    if (!enabled || !token || !secretsEqual(token, adminToken)) throw new UnauthorizedError('Missing or invalid platform admin token');
    req.credentialId = 'platform-admin';
    req.actor = { type: 'platform', id: 'platform-admin' };
    next();
  };
}
