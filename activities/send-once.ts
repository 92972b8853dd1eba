/**
 * At-most-once delivery per step. A row keyed by (tenant, workflow id + step) is claimed before sending and
 * marked after; a retry that finds the mark does nothing. Only a crash between the provider accepting the
 * message and the mark can repeat a message, the unavoidable at-least-once edge of any external send.
 */
import type { Knex } from '../common/db';

export interface SendOnceKey {
  tenantId: string;
  customerId: string;
  idempotencyKey: string;
  template: string;
}

export async function sendOnce(db: Knex, table: 'outbound_emails' | 'outbound_sms', key: SendOnceKey, send: () => Promise<void>) {
  const where = { tenant_id: key.tenantId, idempotency_key: key.idempotencyKey };
  await db(table)
    .insert({ ...where, customer_id: key.customerId, template: key.template })
    .onConflict(['tenant_id', 'idempotency_key'])
    .ignore();
  const claimed = await db(table).where(where).first<{ id: string; sent_at: Date | null }>('id', 'sent_at');
  if (claimed.sent_at) return { sent: true as const, deduplicated: true };
  await send();
  await db(table).where({ tenant_id: key.tenantId, id: claimed.id }).update({ sent_at: new Date() });
  return { sent: true as const, deduplicated: false };
}
