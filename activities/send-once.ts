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
import { customerNotFound, type ContactDetails } from './contact-details';

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
  const [ownerColumn, owner] = 'customerId' in key ? ['customer_id', key.customerId] : ['subscription_id', key.subscriptionId];
  const { rows } = await db.raw<{ rows: Claim[] }>(
    `with claimed as (
       insert into ?? (tenant_id, idempotency_key, ??, template) values (?, ?, ?, ?)
       on conflict (tenant_id, idempotency_key) do nothing
       returning id, sent_at
     )
     ${CLAIM_OR_READ}
     select id, sent_at from claim`,
    [table, ownerColumn, key.tenantId, key.idempotencyKey, owner, key.template, table, key.tenantId, key.idempotencyKey],
  );
  return sendUnlessSent(db, table, key, rows[0], send);
}

/**
 * sendOnce for a message to a customer, with the customer's contact details read in the claim's statement rather
 * than by a query of their own. A customer the tenant does not have claims nothing and fails as contactDetails does.
 */
export async function sendOnceToCustomer(
  db: Knex,
  table: 'outbound_emails' | 'outbound_sms',
  key: SendOnceKey,
  send: (customer: ContactDetails) => Promise<void>,
): Promise<SendOnceResult> {
  const { rows } = await db.raw<{ rows: Array<ContactDetails & { id: string | null; sent_at: Date | null }> }>(
    `with customer as (
       select email, first_name, phone from customers where tenant_id = ? and id = ?
     ), claimed as (
       insert into ?? (tenant_id, idempotency_key, customer_id, template)
       select ?, ?, ?, ? from customer
       on conflict (tenant_id, idempotency_key) do nothing
       returning id, sent_at
     )
     ${CLAIM_OR_READ}
     select customer.email, customer.first_name, customer.phone, claim.id, claim.sent_at from customer left join claim on true`,
    [key.tenantId, key.customerId, table, key.tenantId, key.idempotencyKey, key.customerId, key.template, table, key.tenantId, key.idempotencyKey],
  );
  if (!rows[0]) throw customerNotFound(key.customerId);
  const { email, first_name, phone, id, sent_at } = rows[0];
  return sendUnlessSent(db, table, key, id === null ? undefined : { id, sent_at }, () => send({ email, first_name, phone }));
}

interface Claim {
  id: string;
  sent_at: Date | null;
}

/**
 * The key's row, claimed now (`claimed`) or as an earlier call left it, sent or not: one statement for the insert
 * and, when it conflicted, the read of the row it conflicted with. A row committed by a concurrent call after the
 * statement's snapshot is invisible to that read: `sendUnlessSent` then reads it again, by a statement that sees it.
 */
const CLAIM_OR_READ = `, claim as (
       select id, sent_at from claimed
       union all
       select id, sent_at from ?? where tenant_id = ? and idempotency_key = ? and not exists (select 1 from claimed)
     )`;

async function sendUnlessSent(db: Knex, table: string, key: { tenantId: string; idempotencyKey: string }, found: Claim | undefined, send: () => Promise<void>): Promise<SendOnceResult> {
  const claimed = found ?? (await db(table).where({ tenant_id: key.tenantId, idempotency_key: key.idempotencyKey }).first<Claim>('id', 'sent_at'));
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
