/**
 * How a change emits its events: `recordEvents` inside the change's transaction (the outbox, ./outbox.ts), then
 * the wake after the commit. A wake that fails loses nothing (the deliveries wait in webhook_deliveries for the
 * next wake), so it never fails the change it follows: `wakeQuietly` logs it and moves on.
 */
import type { Knex } from '../../common/db';
import type { WebhookEventInput } from '../../common/webhook-events';
import { recordEventsAt, type WebhookWake } from './outbox';

/** Records the events in the order given; returns every subscription now owed one of them (to wake after the commit). */
export async function recordEvents(trx: Knex.Transaction, events: readonly WebhookEventInput[]): Promise<string[]> {
  return (await recordEventsAt(trx, events)).subscriptionIds;
}

export type WakeFailureLog = (message: string, meta: Record<string, unknown>) => void;

/** A wake that skips an empty list and never throws: a failure is logged (ids and the error's message only). */
export function wakeQuietly(wake: WebhookWake, warn: WakeFailureLog): WebhookWake {
  return async (tenantId, subscriptionIds) => {
    if (subscriptionIds.length === 0) return;
    try {
      await wake(tenantId, subscriptionIds);
    } catch (error) {
      warn('webhook wake failed; the deliveries wait for the next wake', {
        tenantId,
        subscriptionIds: [...subscriptionIds],
        error: error instanceof Error ? error.message : String(error),
      });
    }
  };
}
