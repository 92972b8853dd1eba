/**
 * The v1 routes' guard: an X-API-Key header naming a live key. The tenant comes from the key alone; v1 has no
 * X-Tenant-ID header to cross-check.
 */
import type { RequestHandler } from 'express';
import { UnauthorizedError } from '../http/errors';
import type { ApiKeyService } from '../tenancy/api-keys';

export function requireApiKey(apiKeys: Pick<ApiKeyService, 'authenticate'>): RequestHandler {
  return async (req, _res, next) => {
    const apiKey = req.get('x-api-key');
    const key = apiKey ? await apiKeys.authenticate(apiKey) : undefined;
    if (!key) throw new UnauthorizedError('Missing or invalid API key');
    req.tenantId = key.tenantId;
    req.credentialId = `apikey:${key.keyId}`;
    req.actor = { type: 'tenant', id: req.credentialId, tenantId: key.tenantId };
    next();
  };
}
