/**
 * The owner of `webhook_subscriptions`: every read and write of the table goes through here (the API's
 * subscription service for tenants' changes, the delivery activity for what it needs to send and to disable).
 * Every query names the tenant: a subscription id alone never reaches a row.
 */
import type { Knex } from '../../common/db';
import { cancelPendingDeliveries } from './outbox';

export type DisabledReason = 'TENANT' | 'GONE' | 'FAILING';

export interface SubscriptionRow {
  id: string;
  tenant_id: string;
  url: string;
  event_types: string[];
  description: string | null;
  enabled: boolean;
  disabled_reason: DisabledReason | null;
  disabled_at: Date | null;
  alert_email: string | null;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The subscription as the delivery activity needs it; undefined when it was deleted. */
export async function subscriptionForDelivery(db: Knex, tenantId: string, subscriptionId: string): Promise<SubscriptionRow | undefined> {
  return db('webhook_subscriptions').where({ tenant_id: tenantId, id: subscriptionId }).first<SubscriptionRow | undefined>();
}

/**
 * Turns an enabled subscription off for `reason` and cancels what it still owed, in one transaction. Returns
 * whether this call disabled it (false: already disabled or gone), so the tenant is told once.
 */
export async function disableSubscription(db: Knex, tenantId: string, subscriptionId: string, reason: DisabledReason): Promise<boolean> {
  return db.transaction(async (trx) => {
    const changed = await trx('webhook_subscriptions')
      .where({ tenant_id: tenantId, id: subscriptionId, enabled: true })
      .update({ enabled: false, disabled_reason: reason, disabled_at: trx.fn.now(), updated_at: trx.fn.now() }, ['id']);
    if (changed.length === 0) return false;
    await cancelPendingDeliveries(trx, tenantId, subscriptionId);
    return true;
  });
}

/** What a tenant may change on a subscription; absent fields stay as they are. */
export interface SubscriptionChanges {
  url?: string;
  event_types?: string[];
  description?: string | null;
  alert_email?: string | null;
}

/** A tenant's subscriptions, oldest first. */
export async function listSubscriptions(db: Knex, tenantId: string): Promise<SubscriptionRow[]> {
  return db('webhook_subscriptions').where({ tenant_id: tenantId }).orderBy([{ column: 'created_at' }, { column: 'id' }]);
}

/** One of the tenant's subscriptions; another tenant's id is as absent as a missing one. */
export async function findSubscription(db: Knex, tenantId: string, subscriptionId: string, forUpdate = false): Promise<SubscriptionRow | undefined> {
  const query = db('webhook_subscriptions').where({ tenant_id: tenantId, id: subscriptionId });
  return (forUpdate ? query.forUpdate() : query).first<SubscriptionRow | undefined>();
}

/**
 * Serializes the tenant's subscription creations (count, then insert) until the transaction ends, so two
 * concurrent requests cannot both pass the per-tenant limit.
 */
export async function lockTenantSubscriptions(trx: Knex.Transaction, tenantId: string): Promise<number> {
  await trx.raw("select pg_advisory_xact_lock(hashtext('webhook_subscriptions'), hashtext(?))", [tenantId]);
  const [{ count }] = await trx('webhook_subscriptions').where({ tenant_id: tenantId }).count<{ count: string }[]>({ count: '*' });
  return Number(count);
}

export async function insertSubscription(
  trx: Knex.Transaction,
  row: Pick<SubscriptionRow, 'id' | 'tenant_id' | 'url' | 'event_types' | 'description' | 'alert_email' | 'secret_sealed'>,
): Promise<SubscriptionRow> {
  const [inserted] = await trx('webhook_subscriptions').insert(row).returning<SubscriptionRow[]>('*');
  return inserted;
}

export async function updateSubscription(trx: Knex.Transaction, tenantId: string, subscriptionId: string, changes: SubscriptionChanges): Promise<SubscriptionRow> {
  const [updated] = await trx('webhook_subscriptions')
    .where({ tenant_id: tenantId, id: subscriptionId })
    .update({ ...changes, updated_at: trx.fn.now() }, '*');
  return updated as SubscriptionRow;
}

/** Turned off by the tenant: reason TENANT, and what it still owed is cancelled in the same transaction. */
export async function disableByTenant(trx: Knex.Transaction, tenantId: string, subscriptionId: string): Promise<void> {
  await trx('webhook_subscriptions')
    .where({ tenant_id: tenantId, id: subscriptionId, enabled: true })
    .update({ enabled: false, disabled_reason: 'TENANT', disabled_at: trx.fn.now(), updated_at: trx.fn.now() });
  await cancelPendingDeliveries(trx, tenantId, subscriptionId);
}

/** Turned on again by the tenant, whatever turned it off (the tenant, a 410, or repeated failures). */
export async function enable(trx: Knex.Transaction, tenantId: string, subscriptionId: string): Promise<void> {
  await trx('webhook_subscriptions')
    .where({ tenant_id: tenantId, id: subscriptionId, enabled: false })
    .update({ enabled: true, disabled_reason: null, disabled_at: null, updated_at: trx.fn.now() });
}

/**
 * The new secret becomes current; the one it replaces keeps signing until `previousExpiresAt` (null: not at all).
 * A rotation during another's overlap drops the oldest secret: at most two ever sign.
 */
export async function replaceSecret(
  trx: Knex.Transaction,
  tenantId: string,
  subscriptionId: string,
  secrets: { sealed: string; previousSealed: string | null; previousExpiresAt: Date | null },
): Promise<SubscriptionRow> {
  const [updated] = await trx('webhook_subscriptions').where({ tenant_id: tenantId, id: subscriptionId }).update(
    {
      secret_sealed: secrets.sealed,
      previous_secret_sealed: secrets.previousSealed,
      previous_secret_expires_at: secrets.previousExpiresAt,
      updated_at: trx.fn.now(),
    },
    '*',
  );
  return updated as SubscriptionRow;
}

/** Deletes the subscription; its deliveries and their attempts go with it (foreign keys cascade). */
export async function deleteSubscription(db: Knex, tenantId: string, subscriptionId: string): Promise<boolean> {
  return (await db('webhook_subscriptions').where({ tenant_id: tenantId, id: subscriptionId }).delete()) > 0;
}
