/** Wakes subscriptions' delivery workflows, starting any that is not running (signal-with-start). */
import type { Client } from '@temporalio/client';
import { WEBHOOK_DELIVERY_WORKFLOW, wakeSignal, webhookDeliveryWorkflowId, type WebhookDeliveryInput } from '../../common/webhook-contract';
import type { WebhookWake } from './outbox';

export function createWebhookWake(temporal: Client, taskQueue: string): WebhookWake {
  return async (tenantId, subscriptionIds) => {
    await Promise.all(
      [...new Set(subscriptionIds)].map((subscriptionId) =>
        temporal.workflow.signalWithStart(WEBHOOK_DELIVERY_WORKFLOW, {
          workflowId: webhookDeliveryWorkflowId(tenantId, subscriptionId),
          taskQueue,
          args: [{ tenantId, subscriptionId } satisfies WebhookDeliveryInput],
          signal: wakeSignal,
        }),
      ),
    );
  };
}

/** The API's wake: bounded like every API call to Temporal (TEMPORAL_CALL_TIMEOUT_MS). */
export function createBoundedWebhookWake(temporal: Client, taskQueue: string, callTimeoutMs: number): WebhookWake {
  const wake = createWebhookWake(temporal, taskQueue);
  return (tenantId, subscriptionIds) => temporal.withDeadline(Date.now() + callTimeoutMs, () => wake(tenantId, subscriptionIds));
}
