/**
 * An active customer's new e-mail address or phone number: sends a code to the new contact once, waits for the
 * edge to report the right code (checked there, like a password reset), then swaps the contact and tells the old
 * one. Nothing changes unless the code came: on the timer the change expires, and a cancel or a replacing
 * request stops it. The history holds ids only.
 */
import { allHandlersFinished, condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createContactChangeActivities } from '../activities/contact-change';
import {
  contactChangeStoppedSignal,
  contactCodeConfirmedUpdate,
  type ContactChangeInput,
  type ContactChangeStatus,
} from '../common/contact-change-contract';
import { DATABASE_WRITES, SIDE_NOTICES } from './activity-policies';

type Activities = ReturnType<typeof createContactChangeActivities>;
const { sendContactChangeCode, notifyContactChanged } = proxyActivities<Activities>(SIDE_NOTICES);
const { applyContactChange, expireContactChange } = proxyActivities<Activities>(DATABASE_WRITES);

export async function contactChange({ tenantId, customerId, changeId, codeTtlSeconds }: ContactChangeInput): Promise<ContactChangeStatus> {
  let confirmed = false;
  let stopped = false;
  let outcome: ContactChangeStatus | undefined;
  const ours = (id: string) => {
    if (id !== changeId) throw new Error(`This run handles ${changeId}, not ${id}`);
  };
  setHandler(contactChangeStoppedSignal, ({ changeId: id }) => void (stopped ||= id === changeId));
  setHandler(
    contactCodeConfirmedUpdate,
    async () => {
      confirmed = true;
      await condition(() => outcome !== undefined);
      return outcome!;
    },
    { validator: ({ changeId: id }) => ours(id) },
  );

  const target = { tenantId, customerId, changeId };
  const key = (step: string) => `${workflowInfo().workflowId}/${changeId}/${step}`;
  await sendContactChangeCode({ ...target, idempotencyKey: key('code') });
  if (await condition(() => confirmed || stopped, codeTtlSeconds * 1000)) {
    outcome = confirmed && !stopped ? await applyContactChange(target) : 'CANCELLED';
  } else {
    outcome = await expireContactChange(target);
  }
  if (outcome === 'COMPLETED') await notifyContactChanged({ ...target, idempotencyKey: key('notice') });
  await condition(allHandlersFinished);
  return outcome;
}
