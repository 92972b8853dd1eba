/**
 * The activities of a subscription's delivery workflow (workflows/webhook-delivery.ts): read what is due, attempt
 * one delivery, tell the tenant when its subscription was disabled for failing. All times and delays are computed
 * here, against the database's clock; the workflow only waits the delays it is given.
 *
 * An HTTP failure is not an activity failure: it is recorded as an attempt and answered with a later
 * next_attempt_at, so Temporal retries only what is ours (a database outage). A retried attempt may POST again
 * (the receiver answered but we could not record it): receivers dedupe on `webhook-id`, stable per event.
 */
import { Webhook } from 'standardwebhooks';
import type { Knex } from '../common/db';
import type { FieldCipher } from '../common/field-encryption';
import {
  databaseNow,
  envelopeOf,
  pendingDelivery,
  queueView,
  recordAttempt,
  scheduleRetry,
  settleDelivery,
} from '../api/webhooks/delivery-queue';
import { signingSecrets } from '../api/webhooks/signing-secrets';
import { disableSubscription, subscriptionForDelivery, type DisabledReason } from '../api/webhooks/subscription-store';
import type { UrlPolicy } from '../api/webhooks/url-guard';
import { messageIdFor } from './email-verification';
import type { Mailer } from './mailer';
import { sendOnce } from './send-once';
import { WEBHOOK_FAILING_TEMPLATE, webhookFailingEmail } from './templates/webhook-alerts';
import { postWebhook } from './webhook-http';

export interface WebhookDeliverySettings {
  /** Opens the sealed signing secrets (api/webhooks/signing-secrets.ts). */
  signingCipher: FieldCipher;
  urlPolicy: UrlPolicy;
  timeoutMs: number;
  retryInitialMs: number;
  retryMaxIntervalMs: number;
  retryWindowMs: number;
}

export interface SubscriptionRef {
  tenantId: string;
  subscriptionId: string;
}

/** ENABLED, or why the subscription no longer delivers (DELETED: its row is gone). */
export type SubscriptionState = 'ENABLED' | DisabledReason | 'DELETED';

export interface NextDeliveries {
  subscription: SubscriptionState;
  /** Delivery ids to attempt now (heads of different subjects). */
  due: string[];
  /** Wait this long before looking again; null: nothing is pending. */
  nextInMs: number | null;
}

/**
 * SUCCEEDED (2xx), RETRYING (another attempt is scheduled), FAILED (the retry window closed: the subscription is
 * now disabled as FAILING), GONE (410: disabled as GONE), SETTLED (nothing to do: already settled or disabled).
 */
export type AttemptOutcome = 'SUCCEEDED' | 'RETRYING' | 'FAILED' | 'GONE' | 'SETTLED';

export function createWebhookDeliveryActivities({ db, mailer, webhooks }: { db: Knex; mailer: Mailer; webhooks: WebhookDeliverySettings }) {
  return {
    async nextWebhookDeliveries({ tenantId, subscriptionId, limit }: SubscriptionRef & { limit: number }): Promise<NextDeliveries> {
      const subscription = await subscriptionForDelivery(db, tenantId, subscriptionId);
      if (!subscription) return { subscription: 'DELETED', due: [], nextInMs: null };
      if (!subscription.enabled) return { subscription: subscription.disabled_reason ?? 'TENANT', due: [], nextInMs: null };
      return { subscription: 'ENABLED', ...(await queueView(db, tenantId, subscriptionId, limit)) };
    },

    async attemptWebhookDelivery({ tenantId, subscriptionId, deliveryId }: SubscriptionRef & { deliveryId: string }): Promise<AttemptOutcome> {
      const subscription = await subscriptionForDelivery(db, tenantId, subscriptionId);
      const delivery = subscription?.enabled ? await pendingDelivery(db, tenantId, subscriptionId, deliveryId) : undefined;
      if (!subscription || !delivery) return 'SETTLED';

      const startedAt = await databaseNow(db);
      const body = JSON.stringify(envelopeOf(delivery));
      const sentAt = new Date(); // the receiver compares webhook-timestamp with its own clock: the real send time
      // During a rotation overlap both secrets sign: the receiver verifies with whichever it has (space-separated).
      const signature = signingSecrets(subscription, webhooks.signingCipher, startedAt)
        .map((secret) => new Webhook(secret).sign(delivery.event_id, sentAt, body))
        .join(' ');
      const headers = {
        'webhook-id': delivery.event_id,
        'webhook-timestamp': Math.floor(sentAt.getTime() / 1000).toString(),
        'webhook-signature': signature,
      };
      const outcome = await postWebhook({ url: subscription.url, body, headers }, webhooks.urlPolicy, webhooks.timeoutMs);

      return db.transaction(async (trx) => {
        await recordAttempt(trx, tenantId, deliveryId, outcome);
        const status = outcome.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          await settleDelivery(trx, tenantId, deliveryId, 'SUCCEEDED', startedAt);
          return 'SUCCEEDED';
        }
        if (status === 410) {
          // The receiver says the endpoint is gone for good: stop, and cancel what it was still owed.
          await settleDelivery(trx, tenantId, deliveryId, 'FAILED', startedAt);
          await disableSubscription(trx, tenantId, subscriptionId, 'GONE');
          return 'GONE';
        }
        const delayMs = retryDelay(delivery.attempts + 1, webhooks);
        const next = await scheduleRetry(trx, tenantId, deliveryId, delayMs, webhooks.retryWindowMs, startedAt);
        if (next === undefined) return 'SETTLED';
        if (next === 'PENDING') return 'RETRYING';
        await disableSubscription(trx, tenantId, subscriptionId, 'FAILING');
        return 'FAILED';
      });
    },

    /**
     * Tells the tenant (the subscription's alert_email, when set) that the subscription was disabled for failing.
     * Keyed by the disablement, so it is sent at most once per disablement however often it is called.
     */
    async alertWebhookFailing({ tenantId, subscriptionId }: SubscriptionRef): Promise<{ sent: boolean }> {
      const subscription = await subscriptionForDelivery(db, tenantId, subscriptionId);
      if (!subscription || subscription.enabled || subscription.disabled_reason !== 'FAILING' || !subscription.alert_email) return { sent: false };
      const alertEmail = subscription.alert_email;
      const idempotencyKey = `webhook-failing/${subscriptionId}/${subscription.disabled_at?.getTime() ?? 0}`;
      const key = { tenantId, subscriptionId, idempotencyKey, template: WEBHOOK_FAILING_TEMPLATE };
      await sendOnce(db, 'webhook_alert_emails', key, async () => {
        await mailer.send({
          to: alertEmail,
          messageId: messageIdFor(tenantId, idempotencyKey),
          ...webhookFailingEmail({ subscriptionId, url: subscription.url, retryWindowMs: webhooks.retryWindowMs }),
        });
      });
      return { sent: true };
    },
  };
}

/**
 * Exponential back-off with "equal jitter": the n-th retry waits between half and all of initial × 2^(n-1),
 * capped at the maximum interval, so many deliveries failing together do not come back together.
 */
export function retryDelay(attempt: number, settings: Pick<WebhookDeliverySettings, 'retryInitialMs' | 'retryMaxIntervalMs'>): number {
  const ceiling = Math.min(settings.retryMaxIntervalMs, settings.retryInitialMs * 2 ** Math.min(attempt - 1, 40));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
