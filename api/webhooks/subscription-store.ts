/**
 * The owner of `webhook_subscriptions`: every read and write of the table goes through here (the API's
 * subscription service for tenants' changes, the delivery activity for what it needs to send and to disable).
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
