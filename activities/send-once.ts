/**
 * At-most-once delivery per step. A row keyed by (tenant, workflow id + step) is claimed before sending and
 * marked after; a retry that finds the mark does nothing. Once the provider has accepted the message the activity
 * no longer fails: a failed activity is retried and would send again. If the database cannot take the mark (an
 * outage), the completed activity in the workflow history is the record that the step was done. Only a crash
 * between the provider accepting the message and the activity completing can repeat a message, the unavoidable
 * at-least-once edge of any external send.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from '../common/db';

const MARK_RETRY_DELAYS_MS = [250, 1_000, 3_000];

export interface SendOnceKey {
  tenantId: string;
  customerId: string;
  idempotencyKey: string;
  template: string;
}

/** A message to a tenant about one of its webhook subscriptions (webhook_alert_emails), not to a customer. */
export interface SubscriptionSendOnceKey {
  tenantId: string;
  subscriptionId: string;
  idempotencyKey: string;
  template: string;
}

export async function sendOnce(db: Knex, table: 'outbound_emails' | 'outbound_sms', key: SendOnceKey, send: () => Promise<void>): Promise<SendOnceResult>;
export async function sendOnce(db: Knex, table: 'webhook_alert_emails', key: SubscriptionSendOnceKey, send: () => Promise<void>): Promise<SendOnceResult>;
export async function sendOnce(db: Knex, table: string, key: SendOnceKey | SubscriptionSendOnceKey, send: () => Promise<void>): Promise<SendOnceResult> {
  const where = { tenant_id: key.tenantId, idempotency_key: key.idempotencyKey };
  const owner = 'customerId' in key ? { customer_id: key.customerId } : { subscription_id: key.subscriptionId };
  await db(table)
    .insert({ ...where, ...owner, template: key.template })
    .onConflict(['tenant_id', 'idempotency_key'])
    .ignore();
  const claimed = await db(table).where(where).first<{ id: string; sent_at: Date | null }>('id', 'sent_at');
  if (claimed.sent_at) return { sent: true, deduplicated: true };
  await send();
  const marked = await markSent(db, table, key.tenantId, claimed.id);
  return { sent: true, deduplicated: false, ...(marked ? {} : { markPending: true as const }) };
}

export interface SendOnceResult {
  sent: true;
  /** A previous call already sent it: nothing was sent this time. */
  deduplicated: boolean;
  /** Sent, but the mark could not be written (see the header). */
  markPending?: true;
}

async function markSent(db: Knex, table: string, tenantId: string, id: string): Promise<boolean> {
  for (const delay of [...MARK_RETRY_DELAYS_MS, undefined]) {
    try {
      await db(table).where({ tenant_id: tenantId, id }).update({ sent_at: new Date() });
      return true;
    } catch {
      if (delay === undefined) return false;
      await sleep(delay);
    }
  }
  return false;
}
