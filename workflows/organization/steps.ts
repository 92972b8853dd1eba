/**
 * The organization's onboarding as a list of steps. Each step is done when its predicate holds; until then the
 * workflow runs it again (a wait with reminders and the deadline, or a piece of work). Small on purpose: the
 * shared step engine will take this list as it is.
 */
import { allHandlersFinished, condition } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import { notify } from './messages';
import type { OrganizationState } from './state';
import { moveTo } from './transitions';

export interface Step {
  name: string;
  done(state: OrganizationState): boolean;
  run(state: OrganizationState): Promise<void>;
}

/** A step that waits on someone: the representative (reminded) or the tenant (not reminded); the deadline applies. */
const waitingFor = (name: string, done: (s: OrganizationState) => boolean, { remind }: { remind: boolean }): Step => ({
  name,
  done,
  run: (s) => waitForProgress(s, () => done(s), { remind }),
});

export const ORGANIZATION_STEPS: readonly Step[] = [
  waitingFor('representative e-mail', (s) => s.emailVerified, { remind: true }),
  waitingFor('required consents', (s) => s.missingConsents().length === 0, { remind: true }),
  waitingFor('KYB started by the tenant', (s) => s.kybStatus !== 'NOT_STARTED', { remind: false }),
  { name: 'KYB', done: (s) => s.kybStatus !== 'IN_PROGRESS', run: reviewKybByStaff },
  { name: 'staff decision', done: (s) => s.status !== 'MANUAL_REVIEW', run: (s) => condition(() => s.status !== 'MANUAL_REVIEW') },
  waitingFor('activation', (s) => s.status !== 'APPROVED', { remind: false }),
];

/**
 * Until the KYB provider is wired in, every KYB goes to compliance staff: the case waits in MANUAL_REVIEW for
 * their decision (POST /api/v2.1/admin/organizations/{id}/review-decision). No deadline applies to staff.
 */
async function reviewKybByStaff(state: OrganizationState): Promise<void> {
  await moveTo(state, { status: 'MANUAL_REVIEW', kybStatus: 'MANUAL_REVIEW' }, 'KYB handed to compliance review');
}

/**
 * Waits for the next action; reminds the representative on the steps they can act on; expires the onboarding
 * when it stalls for the tenant's `expireAfter`. (Date.now() is the workflow's own, replay-safe clock.)
 */
async function waitForProgress(state: OrganizationState, done: () => boolean, { remind }: { remind: boolean }): Promise<void> {
  const seen = { progress: state.progress, status: state.status };
  const deadline = state.lastProgressAt + msToNumber(state.policy.expireAfter);
  if (Date.now() >= deadline) return expire(state);
  const timeout = Math.min(msToNumber(state.policy.reminderAfter), deadline - Date.now());
  const moved = await condition(() => done() || state.progress !== seen.progress || state.status !== seen.status, timeout);
  if (moved || state.ended) return;
  if (Date.now() >= deadline) return expire(state);
  if (remind) {
    state.reminders += 1;
    notify(state, 'reminder', `reminder/${state.reminders}`);
  }
}

async function expire(state: OrganizationState): Promise<void> {
  await moveTo(state, { status: 'EXPIRED' }, 'No progress before the deadline');
  notify(state, 'expired', 'expired');
}

/** The end: welcome an active organization, answer updates in flight, let the notices finish (bounded). */
export async function settle(state: OrganizationState): Promise<void> {
  if (state.status === 'ACTIVE') notify(state, 'welcome', 'welcome');
  await condition(allHandlersFinished);
  await Promise.all(state.noticesInFlight);
}
