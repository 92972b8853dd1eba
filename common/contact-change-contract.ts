/** What the API and the contact-change workflow agree on: its name, id, input and the messages it takes. */
import { defineSignal, defineUpdate } from '@temporalio/workflow';

export const CONTACT_CHANGE_WORKFLOW = 'contactChange';

export type ContactChannel = 'EMAIL' | 'PHONE';
export const CONTACT_CHANGE_STATUSES = ['PENDING_VERIFICATION', 'COMPLETED', 'EXPIRED', 'CANCELLED', 'FAILED'] as const;
export type ContactChangeStatus = (typeof CONTACT_CHANGE_STATUSES)[number];

/** Ids only: the new contact and the code stay in `contact_changes` and the message. */
export interface ContactChangeInput {
  tenantId: string;
  customerId: string;
  changeId: string;
  channel: ContactChannel;
  /** How long the code is good for (CONTACT_CHANGE_CODE_TTL_MINUTES, in seconds). */
  codeTtlSeconds: number;
}

/** One change per customer and channel at a time: a new request replaces the running one. */
export function contactChangeWorkflowId(tenantId: string, customerId: string, channel: ContactChannel): string {
  return `contact-change:${tenantId}:${customerId}:${channel}`;
}

/** The edge took the right code for `changeId`: apply the change; answers how the change ended. */
export const contactCodeConfirmedUpdate = defineUpdate<ContactChangeStatus, [{ changeId: string }]>('contactCodeConfirmed');

/** The edge ended `changeId` (cancelled, or too many wrong codes): nothing is to change. */
export const contactChangeStoppedSignal = defineSignal<[{ changeId: string }]>('contactChangeStopped');
