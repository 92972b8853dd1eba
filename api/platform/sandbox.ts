/** Development and test helpers: read the SMS the development sender "sent". Not mounted in production. */
import type { Knex } from '../../common/db';
import { tenantOf } from '../auth/guards';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { phoneNumber } from '../schemas/customer-fields';

export function mountSandboxRoutes(mount: Mount, db: Knex) {
  mountRoute(mount, {
    method: 'get',
    path: '/api/v2.1/sandbox/sms',
    summary: 'Text messages sent to a phone number (development sender only; disabled in production)',
    tag: 'Sandbox',
    security: 'tenant',
    query: z.strictObject({ phone: phoneNumber }),
    responses: {
      200: {
        description: 'Messages, newest first',
        schema: z.object({ data: z.array(z.object({ phone: z.string(), body: z.string(), sentAt: z.string() })) }),
      },
    },
    handler: async ({ query, req }) => {
      const rows = await db('sms_outbox').where({ tenant_id: tenantOf(req), phone: query.phone }).orderBy('id', 'desc').limit(50);
      return { status: 200, body: { data: rows.map((r) => ({ phone: r.phone, body: r.body, sentAt: (r.created_at as Date).toISOString() })) } };
    },
  });
}
