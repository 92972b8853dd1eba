/** Reads the development SMS sender's outbox (written by activities/sms.ts) for the sandbox route. */
import type { Knex } from '../../common/db';

export function createSmsOutboxReader(db: Knex) {
  return {
    /** The last 50 messages the tenant sent to `phone`, newest first. */
    async sentTo(tenantId: string, phone: string): Promise<Array<{ phone: string; body: string; sentAt: string }>> {
      const rows = await db('sms_outbox').where({ tenant_id: tenantId, phone }).orderBy('id', 'desc').limit(50);
      return rows.map((r) => ({ phone: r.phone, body: r.body, sentAt: (r.created_at as Date).toISOString() }));
    },
  };
}

export type SmsOutboxReader = ReturnType<typeof createSmsOutboxReader>;
