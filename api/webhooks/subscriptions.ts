/**
 * A tenant's webhook subscriptions: what the routes call. Every URL passes the SSRF guard before it is stored; a
 * signing secret is generated here, sealed before it reaches the database, and returned only by the call that made
 * it (create, rotate). Changes that owe a subscription something (a test event) wake its delivery workflow after
 * the commit; one that ends its duty (disabling) cancels what it still owed in the same transaction.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from '../../common/db';
import type { FieldCipher } from '../../common/field-encryption';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors';
import { insertRedelivery, listDeliveries, type DeliveryFilters } from './delivery-log';
import { recordEvent, type WebhookWake } from './outbox';
import { MAX_SUBSCRIPTIONS_PER_TENANT } from './schemas';
import { newWebhookSecret } from './signature';
import { secretContext } from './signing-secrets';
import * as store from './subscription-store';
import { BlockedUrlError, checkUrlResolves, checkUrlShape, type UrlPolicy } from './url-guard';

export interface SubscriptionServiceDeps {
  db: Knex;
  /** Seals signing secrets (purpose WEBHOOK_SECRET_PURPOSE). */
  cipher: FieldCipher;
  urlPolicy: UrlPolicy;
  wake: WebhookWake;
}

export interface SubscriptionInput {
  url: string;
  eventTypes: string[];
  description?: string | null;
  alertEmail?: string | null;
}

export type SubscriptionUpdate = Partial<SubscriptionInput> & { enabled?: boolean };

export const newSubscriptionId = () => `whsub_${randomBytes(12).toString('hex')}`;

export function createSubscriptionService({ db, cipher, urlPolicy, wake }: SubscriptionServiceDeps) {
  /** The URL as the guard normalised it, or a 400 naming `url` with the guard's reason. */
  async function guardedUrl(raw: string): Promise<string> {
    try {
      const url = checkUrlShape(raw, urlPolicy);
      await checkUrlResolves(url, urlPolicy);
      return url.toString();
    } catch (error) {
      if (error instanceof BlockedUrlError) throw new ValidationError([{ field: 'url', message: error.message }]);
      throw error;
    }
  }

  /** The tenant's subscription, or a 404; inside a transaction its row is locked until the commit. */
  async function existing(tenantId: string, subscriptionId: string, trx?: Knex.Transaction): Promise<store.SubscriptionRow> {
    const row = await store.findSubscription(trx ?? db, tenantId, subscriptionId, trx !== undefined);
    if (!row) throw new NotFoundError('Webhook subscription not found');
    return row;
  }

  return {
    async create(tenantId: string, input: SubscriptionInput) {
      const url = await guardedUrl(input.url);
      const id = newSubscriptionId();
      const secret = newWebhookSecret();
      const row = await db.transaction(async (trx) => {
        if ((await store.lockTenantSubscriptions(trx, tenantId)) >= MAX_SUBSCRIPTIONS_PER_TENANT) {
          throw new ConflictError(`A tenant may hold at most ${MAX_SUBSCRIPTIONS_PER_TENANT} webhook subscriptions: delete one first`);
        }
        return store.insertSubscription(trx, {
          id,
          tenant_id: tenantId,
          url,
          event_types: input.eventTypes,
          description: input.description ?? null,
          alert_email: input.alertEmail ?? null,
          secret_sealed: cipher.encrypt(secret, secretContext(tenantId, id)),
        });
      });
      return { ...subscriptionViewOf(row), secret };
    },

    async list(tenantId: string) {
      return (await store.listSubscriptions(db, tenantId)).map(subscriptionViewOf);
    },

    async get(tenantId: string, subscriptionId: string) {
      return subscriptionViewOf(await existing(tenantId, subscriptionId));
    },

    async update(tenantId: string, subscriptionId: string, change: SubscriptionUpdate) {
      const url = change.url === undefined ? undefined : await guardedUrl(change.url);
      const row = await db.transaction(async (trx) => {
        const current = await existing(tenantId, subscriptionId, trx);
        const changes: store.SubscriptionChanges = {
          ...(url !== undefined ? { url } : {}),
          ...(change.eventTypes !== undefined ? { event_types: change.eventTypes } : {}),
          ...(change.description !== undefined ? { description: change.description } : {}),
          ...(change.alertEmail !== undefined ? { alert_email: change.alertEmail } : {}),
        };
        if (change.enabled === false && current.enabled) await store.disableByTenant(trx, tenantId, subscriptionId);
        // Re-enabling is only ever the tenant's explicit act: nothing turns a GONE or FAILING endpoint back on itself.
        if (change.enabled === true && !current.enabled) await store.enable(trx, tenantId, subscriptionId);
        return store.updateSubscription(trx, tenantId, subscriptionId, changes);
      });
      return subscriptionViewOf(row);
    },

    async remove(tenantId: string, subscriptionId: string): Promise<void> {
      if (!(await store.deleteSubscription(db, tenantId, subscriptionId))) throw new NotFoundError('Webhook subscription not found');
    },

    /** A new current secret, returned once; the replaced one signs beside it for `overlapSeconds`. */
    async rotateSecret(tenantId: string, subscriptionId: string, overlapSeconds: number) {
      const secret = newWebhookSecret();
      const row = await db.transaction(async (trx) => {
        const current = await existing(tenantId, subscriptionId, trx);
        const overlap = overlapSeconds > 0;
        return store.replaceSecret(trx, tenantId, subscriptionId, {
          sealed: cipher.encrypt(secret, secretContext(tenantId, subscriptionId)),
          previousSealed: overlap ? current.secret_sealed : null,
          previousExpiresAt: overlap ? new Date(Date.now() + overlapSeconds * 1000) : null,
        });
      });
      return { subscriptionId, secret, previousSecretExpiresAt: row.previous_secret_expires_at?.toISOString() ?? null };
    },

    /** Records a `webhook.test` event owed to this subscription only, and wakes it. */
    async sendTest(tenantId: string, subscriptionId: string) {
      const recorded = await db.transaction(async (trx) => {
        assertEnabled(await existing(tenantId, subscriptionId, trx));
        return recordEvent(trx, { tenantId, type: 'webhook.test', subjectId: null, data: { subscriptionId } }, { onlySubscriptionId: subscriptionId });
      });
      await wake(tenantId, recorded.subscriptionIds);
      return { eventId: recorded.eventId };
    },

    /** The subscription's delivery log, newest first. */
    async deliveries(tenantId: string, subscriptionId: string, filters: DeliveryFilters) {
      await existing(tenantId, subscriptionId);
      return listDeliveries(db, tenantId, subscriptionId, filters);
    },

    /** Sends one delivery's event again (same event id): a new manual delivery, then a wake. */
    async redeliver(tenantId: string, subscriptionId: string, deliveryId: string) {
      const queued = await db.transaction(async (trx) => {
        const subscription = await existing(tenantId, subscriptionId, trx);
        const inserted = await insertRedelivery(trx, tenantId, subscriptionId, deliveryId);
        if (!inserted) throw new NotFoundError('Webhook delivery not found');
        assertEnabled(subscription); // after the 404, so an unknown delivery is reported as such; the throw rolls back
        return inserted;
      });
      await wake(tenantId, [subscriptionId]);
      return queued;
    },
  };
}

/** A disabled subscription sends nothing: it must be turned on again before anything is owed to it. */
function assertEnabled(row: store.SubscriptionRow): store.SubscriptionRow {
  if (!row.enabled) throw new ConflictError(`The subscription is disabled (${row.disabled_reason}): enable it first (PATCH enabled: true)`);
  return row;
}

export function subscriptionViewOf(row: store.SubscriptionRow) {
  return {
    subscriptionId: row.id,
    url: row.url,
    eventTypes: row.event_types,
    description: row.description,
    alertEmail: row.alert_email,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    disabledAt: row.disabled_at?.toISOString() ?? null,
    previousSecretExpiresAt: row.previous_secret_expires_at && row.previous_secret_expires_at > new Date() ? row.previous_secret_expires_at.toISOString() : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export type SubscriptionService = ReturnType<typeof createSubscriptionService>;
