/**
 * The delivery workflow's contract. One workflow per subscription drains that subscription's pending deliveries
 * (webhook_deliveries) in event order; whoever records an event wakes it after the event's transaction commits.
 * A wake is only a nudge: the queue lives in PostgreSQL, so a lost or repeated wake loses or repeats nothing.
 */
import { defineSignal } from '@temporalio/workflow';

export const WEBHOOK_DELIVERY_WORKFLOW = 'webhookDelivery';

export interface WebhookDeliveryInput {
  tenantId: string;
  subscriptionId: string;
}

/** Something new may be due for this subscription. */
export const wakeSignal = defineSignal('wake');

export function webhookDeliveryWorkflowId(tenantId: string, subscriptionId: string): string {
  return `webhook-delivery/${tenantId}/${subscriptionId}`;
}
