/**
 * A customer's grants to TPPs (SCT12). The tenant, or the customer's own session, grants, lists, reads and
 * revokes; the authorization check is the tenant's gateway's alone.
 */
import { actorLabel, actorOf } from '../auth/actor';
import { tenantOf } from '../auth/guards';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import type { TppConsents } from './consents';
import {
  authorizationBody,
  authorizationView,
  consentListQuery,
  consentPage,
  consentParams,
  consentView,
  customerParams,
  grantConsentBody,
  MAX_CONSENT_DAYS,
  refusalBody,
} from './schemas';

const BASE = '/v2/customer/{customerId}/tpp-consents';
const access = { tag: 'Third-party providers', security: 'tenantOrCustomer', capability: 'SCT12' } as const;
const unauthorized = { 401: { description: 'Missing or invalid access token or customer session' } };
const noCustomer = { 404: { description: "No such customer for this tenant (a customer's session reaches only its own)" } };
const noConsent = { 404: { description: "No such consent of this customer (another customer's or tenant's is the same)" } };
const answer = z.object({ data: consentView });

export function mountTppConsentRoutes(mount: Mount, consents: TppConsents, authorize: (tenantId: string, customerId: string, consentId: string, body: z.output<typeof authorizationBody>) => Promise<unknown>) {
  mountRoute(mount, {
    ...access,
    method: 'post',
    path: BASE,
    summary: `Grant a TPP scopes on the customer's behalf until expires_at (at most ${MAX_CONSENT_DAYS} days ahead)`,
    params: customerParams,
    body: grantConsentBody,
    responses: {
      201: { description: 'Granted (ACTIVE); its expiry timer runs in Temporal', schema: answer },
      400: { description: `Invalid input; expires_at not in the future or beyond ${MAX_CONSENT_DAYS} days; a scope the TPP's roles do not allow (named in details)` },
      ...unauthorized,
      404: { description: 'No such customer, or no such TPP, for this tenant' },
      409: { description: 'The customer is not ACTIVE (INVALID_STATE), or the TPP is not ACTIVE (CONFLICT)' },
      503: { description: 'The expiry timer could not be started: nothing was recorded, retry' },
    },
    handler: async ({ params, body, req }) => ({
      status: 201,
      body: { data: await consents.grant(tenantOf(req), params.customerId, body, actorLabel(actorOf(req))) },
    }),
  });

  mountRoute(mount, {
    ...access,
    method: 'get',
    path: BASE,
    summary: "The customer's TPP consents, newest first; filter by status, page with limit and cursor",
    params: customerParams,
    query: consentListQuery,
    responses: { 200: { description: 'A page of consents', schema: consentPage }, 400: { description: 'Invalid filter or cursor' }, ...unauthorized, ...noCustomer },
    handler: async ({ params, query, req }) => ({ status: 200, body: await consents.list(tenantOf(req), params.customerId, query) }),
  });

  mountRoute(mount, {
    ...access,
    method: 'get',
    path: `${BASE}/{consentId}`,
    summary: 'One TPP consent',
    params: consentParams,
    responses: { 200: { description: 'The consent', schema: answer }, ...unauthorized, ...noConsent },
    handler: async ({ params, req }) => ({ status: 200, body: { data: await consents.get(tenantOf(req), params.customerId, params.consentId) } }),
  });

  mountRoute(mount, {
    ...access,
    method: 'delete',
    path: `${BASE}/{consentId}`,
    summary: 'Revoke a TPP consent: refused from this moment on',
    params: consentParams,
    responses: {
      200: { description: 'Revoked', schema: answer },
      ...unauthorized,
      ...noConsent,
      409: { description: 'The consent is already REVOKED or EXPIRED (CONFLICT)' },
    },
    handler: async ({ params, req }) => ({
      status: 200,
      body: { data: await consents.revoke(tenantOf(req), params.customerId, params.consentId, actorLabel(actorOf(req))) },
    }),
  });

  mountRoute(mount, {
    method: 'post',
    path: `${BASE}/{consentId}/authorization`,
    summary: 'May this TPP act with this scope under this consent now? What the gateway asks before each TPP call',
    tag: access.tag,
    security: 'tenant',
    capability: 'SCT12',
    params: consentParams,
    body: authorizationBody,
    idempotent: false,
    responses: {
      200: { description: 'Allowed, until expires_at', schema: authorizationView },
      400: { description: 'Invalid input (an unknown scope, a malformed tpp_id)' },
      ...unauthorized,
      403: {
        description: 'Refused: TPP_CONSENT_REVOKED, TPP_CONSENT_EXPIRED, TPP_NOT_ACTIVE, TPP_CUSTOMER_NOT_ACTIVE, TPP_SCOPE_NOT_GRANTED',
        schema: refusalBody,
      },
      404: { description: 'No such consent of this customer granted to this TPP' },
    },
    handler: async ({ params, body, req }) => ({
      status: 200,
      body: { data: await authorize(tenantOf(req), params.customerId, params.consentId, body) },
    }),
  });
}
