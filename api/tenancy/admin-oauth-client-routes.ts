/**
 * A tenant's OAuth clients, for the platform admin and that tenant's TENANT_ADMIN: list, add a client, rotate a
 * secret, revoke. Secrets are shown once. A rotation or a revocation ends the tokens already issued at their next
 * request (the guard checks the client's secret version, api/tenancy/access.ts).
 */
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { oauthClientId, tenantId } from '../schemas/params';
import { labelBody, oauthClientView, oauthClientWithSecret } from './admin-schemas';
import { tenantInScope } from './admin-scope';
import type { OAuthClientService } from './oauth-clients';

const TAG = 'Platform administration';
const BASE = '/api/v2.1/admin/tenants/{tenantId}/oauth-clients';
const ROLES = ['PLATFORM_ADMIN', 'TENANT_ADMIN'] as const;
const noStore = { 'Cache-Control': 'no-store' };

export function mountAdminOAuthClientRoutes(mount: Mount, clients: Omit<OAuthClientService, 'authenticate'>) {
  const tenantParams = z.object({ tenantId });
  const clientParams = tenantParams.extend({ clientId: oauthClientId });

  mountRoute(mount, {
    method: 'get',
    path: BASE,
    summary: "A tenant's OAuth clients, revoked ones too (never a secret)",
    tag: TAG,
    security: 'staff',
    roles: ROLES,
    params: tenantParams,
    responses: { 200: { description: 'The clients, oldest first', schema: z.object({ data: z.array(oauthClientView) }) }, 404: { description: 'No such tenant' } },
    handler: async ({ params, req }) => ({ status: 200, body: { data: await clients.list(tenantInScope(req, params.tenantId)) } }),
  });

  mountRoute(mount, {
    method: 'post',
    path: BASE,
    summary: 'Add an OAuth client to a tenant (e.g. to move a service to new credentials without downtime); its secret is shown once',
    tag: TAG,
    security: 'staff',
    roles: ROLES,
    params: tenantParams,
    body: labelBody('CreateOAuthClient'),
    // The answer is a secret shown once and kept only hashed; replaying it would mean storing it.
    idempotent: false,
    responses: {
      201: { description: 'Client created; the secret is shown only now', schema: oauthClientWithSecret },
      400: { description: 'Invalid input' },
      404: { description: 'No such tenant' },
    },
    handler: async ({ params, body, req }) => ({ status: 201, headers: noStore, body: await clients.create(tenantInScope(req, params.tenantId), body.label) }),
  });

  mountRoute(mount, {
    method: 'post',
    path: `${BASE}/{clientId}/rotate-secret`,
    summary:
      'Replace a client\'s secret (shown once). The old secret obtains no token from now on, and access tokens issued before the rotation are refused at their next request',
    tag: TAG,
    security: 'staff',
    roles: ROLES,
    params: clientParams,
    idempotent: false,
    responses: {
      200: { description: 'The new secret, shown only now', schema: oauthClientWithSecret },
      404: { description: 'No such client for this tenant' },
      409: { description: 'The client is revoked (CONFLICT)' },
    },
    handler: async ({ params, req }) => ({ status: 200, headers: noStore, body: await clients.rotate(tenantInScope(req, params.tenantId), params.clientId) }),
  });

  mountRoute(mount, {
    method: 'delete',
    path: `${BASE}/{clientId}`,
    summary: 'Revoke a client: it obtains no token, and the access tokens it holds are refused at their next request',
    tag: TAG,
    security: 'staff',
    roles: ROLES,
    params: clientParams,
    responses: { 200: { description: 'The client, revoked (revoking again keeps the first time)', schema: oauthClientView }, 404: { description: 'No such client for this tenant' } },
    handler: async ({ params, req }) => ({ status: 200, body: await clients.revoke(tenantInScope(req, params.tenantId), params.clientId) }),
  });
}
