/**
 * The v1 routes' guard: an X-API-Key header naming a live key. The tenant comes from the key alone; v1 has no
 * X-Tenant-ID header to cross-check. A revoked or rotated key is refused from its next request: keys are looked
 * up on every request.
 */
import type { RequestHandler } from 'express';
import { UnauthorizedError } from '../http/errors';
import type { ApiKeyService } from '../tenancy/api-keys';
import type { TenantAccessService } from '../tenancy/access';

export function requireApiKey(apiKeys: Pick<ApiKeyService, 'authenticate'>, access: Pick<TenantAccessService, 'remember'>): RequestHandler {
  return async (req, _res, next) => {
    const apiKey = req.get('x-api-key');
    const key = apiKey ? await apiKeys.authenticate(apiKey) : undefined;
    if (!key) throw new UnauthorizedError('Missing or invalid API key');
    // The key's lookup read the tenant's row too: the checks and the handler after this guard need no second query.
    access.remember(req, key.tenant);
    req.tenantId = key.tenantId;
    req.credentialId = `apikey:${key.keyId}`;
    req.actor = { type: 'tenant', id: req.credentialId, tenantId: key.tenantId };
    next();
  };
}
