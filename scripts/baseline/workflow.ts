/**
 * The baseline's workflow: the least a Temporal registration can be. Its one update runs one local activity (the
 * insert, under the project's own local-activity policy) and answers; then the workflow parks on a condition with a
 * long timeout, as a registered customer's onboarding waits for their e-mail code. No search attributes, no memo,
 * no further activity: every difference from the project's workflow is the project's to explain.
 */
import { condition, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import { REGISTRATION_INSERT } from '../../workflows/activity-policies';
import type { BaselineActivities } from './activities';
import { registerUpdate } from './contract';

const { insertRegistration } = proxyLocalActivities<BaselineActivities>(REGISTRATION_INSERT);

/** How long a registered customer stays parked: longer than any benchmark, so none wakes during one. */
const PARKED_FOR = '30 days';

export async function baselineRegistration(): Promise<void> {
  let failed = false;
  setHandler(registerUpdate, async (registration) => {
    try {
      return await insertRegistration(registration);
    } catch (error) {
      failed = true; // the update fails with the activity's failure, and the workflow ends: nothing was stored
      throw error;
    }
  });
  // Update-with-start delivers the registration in the very first workflow task, beside this one timer.
  await condition(() => failed, PARKED_FOR);
}
