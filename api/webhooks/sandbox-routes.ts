/** Sandbox testing of a tenant's webhook receiver: trigger any catalogue event. Not mounted in production. */
import { tenantOf } from '../auth/guards';
import { mountRoute, type Mount } from '../http/route';
import type { SandboxEvents } from './sandbox-events';
import { recordedEventView, sandboxEventBody } from './schemas';

export function mountWebhookSandboxRoutes(mount: Mount, events: SandboxEvents) {
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/sandbox/webhooks/events',
    summary: "Record a synthetic event of any catalogue type for this tenant and send it to its subscribers (disabled in production)",
    tag: 'Sandbox',
    security: 'tenant',
    capability: ['SCT01', 'SCT02'],
    body: sandboxEventBody,
    responses: {
      202: { description: 'Recorded; every enabled subscription to the type now owes it', schema: recordedEventView },
      400: { description: 'Unknown event type or malformed customer id' },
      401: { description: 'Missing or invalid access token' },
      404: { description: 'No such customer for this tenant' },
    },
    handler: async ({ body, req }) => ({ status: 202, body: await events.trigger(tenantOf(req), body.type, body.customerId) }),
  });
}
