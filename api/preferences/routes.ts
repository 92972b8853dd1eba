/**
 * A customer's preferences (language, marketing by channel, notification channels) and their history. The tenant
 * or the customer's own session may read and change them; who changed what is taken from that credential.
 */
import { actorLabel, actorOf } from '../auth/actor';
import { tenantOf } from '../auth/guards';
import { mountRoute, type Mount } from '../http/route';
import { historyPageView, historyQuery, preferencesBody, preferencesParams, preferencesView } from './schemas';
import type { PreferencesService } from './service';

const PATH = '/v2/customer/{customerId}/preferences';
const access = { tag: 'Preferences', security: 'tenantOrCustomer', capability: ['SCT01', 'SCT02'] } as const;
const errors = {
  400: { description: 'Invalid input, naming the field' },
  401: { description: 'Missing or invalid access token' },
  404: { description: 'No such customer for this tenant (or another customer than the session\'s)' },
};
const closed = { 409: { description: 'The customer is CLOSED (INVALID_STATE)' } };

export function mountPreferencesRoutes(mount: Mount, preferences: PreferencesService) {
  mountRoute(mount, {
    ...access,
    method: 'get',
    path: PATH,
    summary: "The customer's preferences; the defaults until they set any",
    params: preferencesParams,
    responses: { 200: { description: 'The preferences', schema: preferencesView }, ...errors, ...closed },
    handler: async ({ params, req }) => ({ status: 200, body: { data: await preferences.get(tenantOf(req), params.customerId) } }),
  });

  mountRoute(mount, {
    ...access,
    method: 'put',
    path: PATH,
    summary: 'Change some preferences: only the fields given move, and each change is kept in the history',
    params: preferencesParams,
    body: preferencesBody,
    responses: {
      200: { description: 'The preferences as changed', schema: preferencesView },
      ...errors,
      409: { description: 'The customer is CLOSED (INVALID_STATE), or a marketing channel turned on without the MARKETING consent in force (CONFLICT)' },
    },
    handler: async ({ params, body, req }) => ({
      status: 200,
      body: { data: await preferences.update(tenantOf(req), params.customerId, body, actorLabel(actorOf(req))) },
    }),
  });

  mountRoute(mount, {
    ...access,
    method: 'get',
    path: `${PATH}/history`,
    summary: 'Every change to the preferences, newest first: fields, old and new values, who and when',
    params: preferencesParams,
    query: historyQuery,
    responses: { 200: { description: 'A page of changes', schema: historyPageView }, ...errors },
    handler: async ({ params, query, req }) => ({ status: 200, body: await preferences.history(tenantOf(req), params.customerId, query) }),
  });
}
