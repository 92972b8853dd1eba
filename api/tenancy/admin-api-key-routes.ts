import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { tenantId } from '../schemas/params';
import type { ApiKeyService } from './api-keys';

const issueApiKeyBody = z
  .strictObject({ label: z.string().trim().min(1, 'Must not be empty').max(100, 'Must be at most 100 characters') })
  .openapi('IssueApiKey');

const issuedApiKeyResponse = z
  .object({
    keyId: z.string().openapi({ example: 'key_5b0e8c1f2a7d94e3c6b10a2f' }),
    apiKey: z.string().openapi({ description: 'Shown once; only a hash is stored. Send it as X-API-Key.' }),
    prefix: z.string().openapi({ description: 'The first characters of the key, to recognise it later.' }),
    label: z.string(),
  })
  .openapi('ApiKey');

export function mountAdminApiKeyRoutes(mount: Mount, apiKeys: Pick<ApiKeyService, 'issue'>) {
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/admin/tenants/{tenantId}/api-keys',
    summary: 'Issue an API key a tenant uses on the v1 routes (X-API-Key)',
    tag: 'Platform administration',
    security: 'staff',
    roles: ['PLATFORM_ADMIN', 'TENANT_ADMIN'],
    params: z.object({ tenantId }),
    body: issueApiKeyBody,
    // The answer is a key shown once and kept only hashed; replaying it would mean storing it.
    idempotent: false,
    responses: {
      201: { description: 'Key issued; it is shown only now', schema: issuedApiKeyResponse },
      400: { description: 'Invalid input' },
      401: { description: 'Missing or invalid platform admin token' },
      404: { description: 'No such tenant' },
    },
    handler: async ({ params, body }) => ({
      status: 201,
      body: { ...(await apiKeys.issue(params.tenantId, body.label)), label: body.label },
      headers: { 'Cache-Control': 'no-store' },
    }),
  });
}
