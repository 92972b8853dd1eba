/** OAuth 2.0 client-credentials grant (RFC 6749 §4.4), credentials in the body or in HTTP Basic auth. */
import { z } from '../http/openapi';
import { OAuthError } from '../http/errors';
import { mountRoute, type Mount } from '../http/route';
import type { OAuthClientService } from './oauth-clients';
import type { TokenService } from '../auth/tokens';

const tokenRequest = z
  .object({
    grant_type: z.string().optional().openapi({ example: 'client_credentials' }),
    client_id: z.string().optional(),
    client_secret: z.string().optional(),
  })
  .openapi('TokenRequest');

const tokenResponse = z
  .object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int() })
  .openapi('TokenResponse');

const oauthErrorBody = z.object({ error: z.string(), error_description: z.string() }).openapi('OAuthError');

/**
 * RFC 6749 §2.3.1: id and secret are form-urlencoded, then joined by a colon and base64-encoded. A Basic header
 * that does not decode that way is a malformed request, not a failed authentication, and never falls back to the body.
 */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const id = colon < 0 ? undefined : percentDecoded(decoded.slice(0, colon));
  const secret = colon < 0 ? undefined : percentDecoded(decoded.slice(colon + 1));
  if (id === undefined || secret === undefined) throw new OAuthError(400, 'invalid_request', 'Malformed HTTP Basic credentials');
  return { id, secret };
}

/** decodeURIComponent throws a URIError on a malformed escape such as `%zz`. */
function percentDecoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

export function mountOAuthRoutes(mount: Mount, clients: Pick<OAuthClientService, 'authenticate'>, tokens: TokenService) {
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/oauth/token',
    summary: 'Issue an access token (client credentials)',
    tag: 'Authentication',
    security: 'none',
    ipRateLimit: 'tokenEndpoint',
    body: tokenRequest,
    bodyContentTypes: ['application/x-www-form-urlencoded'],
    responses: {
      200: { description: 'Access token', schema: tokenResponse },
      400: { description: 'Malformed request or unsupported grant type', schema: oauthErrorBody },
      401: { description: 'Unknown client or wrong secret', schema: oauthErrorBody },
    },
    handler: async ({ body, req }) => {
      if (!body.grant_type) throw new OAuthError(400, 'invalid_request', 'grant_type is required');
      if (body.grant_type !== 'client_credentials') {
        throw new OAuthError(400, 'unsupported_grant_type', 'Only client_credentials is supported');
      }
      const basic = basicCredentials(req.get('authorization'));
      const clientId = basic?.id ?? body.client_id;
      const clientSecret = basic?.secret ?? body.client_secret;
      if (!clientId || !clientSecret) throw new OAuthError(400, 'invalid_request', 'client_id and client_secret are required');
      const client = await clients.authenticate(clientId, clientSecret);
      if (!client) throw new OAuthError(401, 'invalid_client', 'Client authentication failed');
      const accessToken = await tokens.issue({ ...client, clientId });
      return {
        status: 200,
        headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
        body: { access_token: accessToken, token_type: 'Bearer', expires_in: tokens.ttlSeconds },
      };
    },
  });
}
