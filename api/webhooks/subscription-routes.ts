/**
 * A tenant's webhook subscriptions: subscribe, list, read, change, delete, rotate the signing secret, send a test
 * event, and read or replay the delivery log. Any tier may (SCT01 or SCT02); another tenant's subscription is a 404.
 * The secret appears only in the answers of create and rotate, which are therefore never stored for an
 * Idempotency-Key replay and are sent with Cache-Control: no-store.
 */
import { tenantOf } from '../auth/guards';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import {
  createdSubscriptionView,
  createSubscriptionBody,
  deliveryLogQuery,
  deliveryPage,
  deliveryParams,
  MAX_SUBSCRIPTIONS_PER_TENANT,
  queuedDeliveryView,
  rotatedSecretView,
  rotateSecretBody,
  subscriptionParams,
  subscriptionView,
  updateSubscriptionBody,
} from './schemas';
import type { SubscriptionService } from './subscriptions';

const TAG = 'Webhooks';
const BASE = '/api/v2.1/webhooks/subscriptions';
const access = { tag: TAG, security: 'tenant', capability: ['SCT01', 'SCT02'] } as const;
const noStore = { 'Cache-Control': 'no-store' };
const tenantErrors = { 401: { description: 'Missing or invalid access token' } };
const notFound = { 404: { description: 'No such subscription for this tenant' } };
const disabled = { 409: { description: 'The subscription is disabled: enable it first (CONFLICT)' } };

export function mountSubscriptionRoutes(mount: Mount, subscriptions: SubscriptionService) {
  mountRoute(mount, {
    ...access,
    method: 'post',
    path: BASE,
    summary: `Subscribe an endpoint to event types (at most ${MAX_SUBSCRIPTIONS_PER_TENANT} subscriptions per tenant); the answer carries its signing secret, once`,
    body: createSubscriptionBody,
    idempotent: false,
    responses: {
      201: { description: 'Subscribed; `secret` is shown only now', schema: createdSubscriptionView },
      400: { description: 'Invalid input; a URL the guard refuses (scheme, private or loopback address, unresolvable host) names `url`' },
      ...tenantErrors,
      409: { description: `The tenant already holds ${MAX_SUBSCRIPTIONS_PER_TENANT} subscriptions (CONFLICT)` },
    },
    handler: async ({ body, req }) => ({ status: 201, headers: noStore, body: await subscriptions.create(tenantOf(req), body) }),
  });

  mountRoute(mount, {
    ...access,
    method: 'get',
    path: BASE,
    summary: "The tenant's webhook subscriptions, oldest first (never their secrets)",
    responses: { 200: { description: 'The subscriptions', schema: z.object({ data: z.array(subscriptionView) }) }, ...tenantErrors },
    handler: async ({ req }) => ({ status: 200, body: { data: await subscriptions.list(tenantOf(req)) } }),
  });

  mountRoute(mount, {
    ...access,
    method: 'get',
    path: `${BASE}/{subscriptionId}`,
    summary: 'One webhook subscription (never its secret)',
    params: subscriptionParams,
    responses: { 200: { description: 'The subscription', schema: subscriptionView }, ...tenantErrors, ...notFound },
    handler: async ({ params, req }) => ({ status: 200, body: await subscriptions.get(tenantOf(req), params.subscriptionId) }),
  });

  mountRoute(mount, {
    ...access,
    method: 'patch',
    path: `${BASE}/{subscriptionId}`,
    summary: 'Change a subscription: URL, event types, description, alert e-mail; disable it (pending deliveries are cancelled) or enable it again',
    params: subscriptionParams,
    body: updateSubscriptionBody,
    responses: {
      200: { description: 'The subscription as changed', schema: subscriptionView },
      400: { description: 'Invalid input, no field given, or a URL the guard refuses (naming `url`)' },
      ...tenantErrors,
      ...notFound,
    },
    handler: async ({ params, body, req }) => ({ status: 200, body: await subscriptions.update(tenantOf(req), params.subscriptionId, body) }),
  });

  mountRoute(mount, {
    ...access,
    method: 'delete',
    path: `${BASE}/{subscriptionId}`,
    summary: 'Delete a subscription, with its delivery log; nothing more is sent to it',
    params: subscriptionParams,
    responses: { 204: { description: 'Deleted' }, ...tenantErrors, ...notFound },
    handler: async ({ params, req }) => {
      await subscriptions.remove(tenantOf(req), params.subscriptionId);
      return { status: 204, body: undefined };
    },
  });

  mountRoute(mount, {
    ...access,
    method: 'post',
    path: `${BASE}/{subscriptionId}/rotate-secret`,
    summary: 'Replace the signing secret (shown once); the old one keeps signing beside it for overlapSeconds',
    params: subscriptionParams,
    body: rotateSecretBody,
    idempotent: false,
    responses: {
      200: { description: 'The new secret, shown only now', schema: rotatedSecretView },
      400: { description: 'overlapSeconds outside 0 to 604800' },
      ...tenantErrors,
      ...notFound,
    },
    handler: async ({ params, body, req }) => ({
      status: 200,
      headers: noStore,
      body: await subscriptions.rotateSecret(tenantOf(req), params.subscriptionId, body.overlapSeconds),
    }),
  });

  mountRoute(mount, {
    ...access,
    method: 'post',
    path: `${BASE}/{subscriptionId}/test`,
    summary: 'Send a webhook.test event to this subscription only',
    params: subscriptionParams,
    responses: {
      202: { description: 'Recorded and queued for this subscription', schema: z.object({ eventId: z.string() }) },
      ...tenantErrors,
      ...notFound,
      ...disabled,
    },
    handler: async ({ params, req }) => ({ status: 202, body: await subscriptions.sendTest(tenantOf(req), params.subscriptionId) }),
  });

  mountRoute(mount, {
    ...access,
    method: 'get',
    path: `${BASE}/{subscriptionId}/deliveries`,
    summary: "The subscription's delivery log, newest first: each event sent or owed, its attempts and the next one",
    params: subscriptionParams,
    query: deliveryLogQuery,
    responses: {
      200: { description: 'A page of deliveries', schema: deliveryPage },
      400: { description: 'Invalid filter or cursor' },
      ...tenantErrors,
      ...notFound,
    },
    handler: async ({ params, query, req }) => ({
      status: 200,
      body: await subscriptions.deliveries(tenantOf(req), params.subscriptionId, { ...query, before: query.cursor }),
    }),
  });

  mountRoute(mount, {
    ...access,
    method: 'post',
    path: `${BASE}/{subscriptionId}/deliveries/{deliveryId}/redeliver`,
    summary: "Send a delivery's event again (same event id), as a new manual delivery",
    params: deliveryParams,
    responses: {
      202: { description: 'Queued; the new delivery appears in the log', schema: queuedDeliveryView },
      ...tenantErrors,
      404: { description: 'No such subscription, or no such delivery in its log' },
      ...disabled,
    },
    handler: async ({ params, req }) => ({ status: 202, body: await subscriptions.redeliver(tenantOf(req), params.subscriptionId, params.deliveryId) }),
  });
}
