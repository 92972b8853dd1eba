/** Development and test helpers: read the SMS the development sender "sent". Not mounted in production. */
import { tenantOf } from '../auth/guards';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { phoneNumber } from '../schemas/customer-fields';
import type { SmsOutboxReader } from './sms-outbox';

export function mountSandboxRoutes(mount: Mount, outbox: SmsOutboxReader) {
  mountRoute(mount, {
    method: 'get',
    path: '/api/v2.1/sandbox/sms',
    summary: 'Text messages sent to a phone number (development sender only; disabled in production)',
    tag: 'Sandbox',
    security: 'tenant',
    capability: ['SCT01', 'SCT02'],
    query: z.strictObject({ phone: phoneNumber }),
    responses: {
      200: {
        description: 'Messages, newest first',
        schema: z.object({ data: z.array(z.object({ phone: z.string(), body: z.string(), sentAt: z.string() })) }),
      },
    },
    handler: async ({ query, req }) => ({ status: 200, body: { data: await outbox.sentTo(tenantOf(req), query.phone) } }),
  });
}
