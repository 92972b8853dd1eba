/**
 * One subscription's delivery pump. The queue is the subscription's PENDING rows in webhook_deliveries; this
 * workflow drains it: it asks which deliveries are due (each subject's earliest, once its retry time has come),
 * attempts them a few at a time, then sleeps until the next one is due or a wake signal says a new event was
 * recorded. Guarantees:
 * - per subject, events reach the receiver in the order they occurred (a later one is never sent while an
 *   earlier one is pending); other subjects are not held back by one subject's failing delivery;
 * - one pump per subscription (the workflow id), so a receiver is never hit by parallel pumps, and a receiver that
 *   was down is caught up from the table in order, however long the backlog;
 * - it ends when the subscription is deleted or disabled (by the tenant, by a 410, or for failing: then the
 *   tenant is alerted), and when it has been idle for a while with nothing pending (the next wake starts it again);
 * - its history stays bounded: it continues as new after a number of rounds or when the server suggests it.
 * No clocks here: the activities compute every time against the database and hand back delays. The history
 * holds ids and states only.
 */
import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createWebhookDeliveryActivities, AttemptOutcome } from '../activities/webhook-delivery';
import { wakeSignal, type WebhookDeliveryInput } from '../common/webhook-contract';
import { DATABASE_WRITES, SIDE_NOTICES } from './activity-policies';

type Activities = ReturnType<typeof createWebhookDeliveryActivities>;

const { nextWebhookDeliveries } = proxyActivities<Activities>(DATABASE_WRITES);
// The HTTP timeout is at most 60 s (WEBHOOK_TIMEOUT_MS); the rest is database work. An HTTP failure is a result,
// not a throw, so only our own faults (the database) are retried here.
const { attemptWebhookDelivery } = proxyActivities<Activities>({ ...DATABASE_WRITES, startToCloseTimeout: '2 minutes' });
const { alertWebhookFailing } = proxyActivities<Activities>(SIDE_NOTICES);

/** Due deliveries read per round, and sent at once (each a different subject). */
const BATCH = 20;
const CONCURRENCY = 4;
/** With nothing pending, wait this long for a wake before ending (a busy subscription keeps its run). */
const IDLE_MS = 10 * 60_000;
const CONTINUE_AS_NEW_AFTER_ROUNDS = 500;

export interface WebhookDeliveryRunInput extends WebhookDeliveryInput {
  /** Tests lower it to see a continued run take over. */
  continueAsNewAfterRounds?: number;
}

export type WebhookDeliveryEnd = 'IDLE' | 'DELETED' | 'TENANT' | 'GONE' | 'FAILING';

export async function webhookDelivery(input: WebhookDeliveryRunInput): Promise<WebhookDeliveryEnd> {
  const { tenantId, subscriptionId } = input;
  let woken = false;
  setHandler(wakeSignal, () => void (woken = true));

  for (let round = 1; ; round++) {
    woken = false; // cleared before reading the queue: a wake that arrives during the read is kept
    const next = await nextWebhookDeliveries({ tenantId, subscriptionId, limit: BATCH });
    if (next.subscription !== 'ENABLED') {
      if (next.subscription === 'FAILING') await alertWebhookFailing({ tenantId, subscriptionId });
      return next.subscription;
    }
    if (next.due.length > 0) {
      await deliver(tenantId, subscriptionId, next.due);
    } else if (next.nextInMs === null) {
      // Idle. A wake racing the end is not lost: Temporal does not complete a run with an unhandled signal, and
      // a wake after the end starts a new run (signal-with-start).
      if (!(await condition(() => woken, IDLE_MS)) && !woken) return 'IDLE';
    } else {
      await condition(() => woken, next.nextInMs);
    }
    const info = workflowInfo();
    if (round >= (input.continueAsNewAfterRounds ?? CONTINUE_AS_NEW_AFTER_ROUNDS) || info.continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof webhookDelivery>({ ...input });
    }
  }
}

/** Attempts the due deliveries CONCURRENCY at a time; stops early once the subscription is disabled. */
async function deliver(tenantId: string, subscriptionId: string, due: string[]): Promise<void> {
  for (let start = 0; start < due.length; start += CONCURRENCY) {
    const outcomes: AttemptOutcome[] = await Promise.all(
      due.slice(start, start + CONCURRENCY).map((deliveryId) => attemptWebhookDelivery({ tenantId, subscriptionId, deliveryId })),
    );
    if (outcomes.some((outcome) => outcome === 'GONE' || outcome === 'FAILED')) return;
  }
}
