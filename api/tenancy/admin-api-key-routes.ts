/**
 * A tenant's v1 API keys (X-API-Key), for the platform admin and that tenant's TENANT_ADMIN: issue, list, rotate,
 * revoke. A key is shown once; a rotated or revoked key is refused from its next request (keys are looked up on
 * every request, api/auth/api-key.ts).
 */
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { apiKeyId, tenantId } from '../schemas/params';
import { apiKeyView, apiKeyWithSecret, labelBody } from './admin-schemas';
import { tenantInScope } from './admin-scope';
import type { ApiKeyService } from './api-keys';

const TAG = 'Platform administration';
const BASE = '/api/v2.1/admin/tenants/{tenantId}/api-keys';
const ROLES = ['PLATFORM_ADMIN', 'TENANT_ADMIN'] as const;
const noStore = { 'Cache-Control': 'no-store' };

const issuedApiKeyResponse = z
  .object({
    keyId: z.string().openapi({ example: 'key_5b0e8c1f2a7d94e3c6b10a2f' }),
    apiKey: z.string().openapi({ description: 'Shown once; only a hash is stored. Send it as X-API-Key.' }),
    prefix: z.string().openapi({ description: 'The first characters of the key, to recognise it later.' }),
    label: z.string(),
  })
  .openapi('ApiKey');

export function mountAdminApiKeyRoutes(mount: Mount, apiKeys: Omit<ApiKeyService, 'authenticate'>) {
  const tenantParams = z.object({ tenantId });
  const keyParams = tenantParams.extend({ keyId: apiKeyId });

  mountRoute(mount, {
    method: 'post',
    path: BASE,
    summary: 'Issue an API key a tenant uses on the v1 routes (X-API-Key)',
    tag: TAG,
    security: 'staff',
    roles: ROLES,
    params: tenantParams,
    body: labelBody('IssueApiKey'),
    // The answer is a key shown once and kept only hashed; replaying it would mean storing it.
    idempotent: false,
    responses: {
      201: { description: 'Key issued; it is shown only now', schema: issuedApiKeyResponse },
      400: { description: 'Invalid input' },
      401: { description: 'Missing or invalid platform admin token' },
      404: { description: 'No such tenant' },
    },
    handler: async ({ params, body, req }) => ({
      status: 201,
      body: { ...(await apiKeys.issue(tenantInScope(req, params.tenantId), body.label)), label: body.label },
      headers: noStore,
    }),
  });

  mountRoute(mount, {
    method: 'get',
    path: BASE,
    summary: "A tenant's API keys, revoked ones too (never a key itself: only its prefix)",
    tag: TAG,
    security: 'staff',
    roles: ROLES,
    params: tenantParams,
    responses: { 200: { description: 'The keys, oldest first', schema: z.object({ data: z.array(apiKeyView) }) }, 404: { description: 'No such tenant' } },
    handler: async ({ params, req }) => ({ status: 200, body: { data: await apiKeys.list(tenantInScope(req, params.tenantId)) } }),
  });

  mountRoute(mount, {
    method: 'post',
    path: `${BASE}/{keyId}/rotate`,
    summary: 'Replace an API key under the same id and label (shown once); the old key is refused from its next request',
    tag: TAG,
    security: 'staff',
    roles: ROLES,
    params: keyParams,
    idempotent: false,
    responses: {
      200: { description: 'The new key, shown only now', schema: apiKeyWithSecret },
      404: { description: 'No such key for this tenant' },
      409: { description: 'The key is revoked (CONFLICT)' },
    },
    handler: async ({ params, req }) => ({ status: 200, headers: noStore, body: await apiKeys.rotate(tenantInScope(req, params.tenantId), params.keyId) }),
  });

  mountRoute(mount, {
    method: 'delete',
    path: `${BASE}/{keyId}`,
    summary: 'Revoke an API key: the next request with it is refused',
    tag: TAG,
    security: 'staff',
    roles: ROLES,
    params: keyParams,
    responses: { 200: { description: 'The key, revoked (revoking again keeps the first time)', schema: apiKeyView }, 404: { description: 'No such key for this tenant' } },
    handler: async ({ params, req }) => ({ status: 200, body: await apiKeys.revoke(tenantInScope(req, params.tenantId), params.keyId) }),
  });
}
