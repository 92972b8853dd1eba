/** The organization onboarding's activity stubs, on the shared policies of workflows/activity-policies.ts. */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { OnboardingActivities } from '../../activities';
import { DATABASE_WRITES, firstCodeWithin as firstCodeOptions, REGISTRATION_INSERT, REQUESTED_CODES, SIDE_NOTICES } from '../activity-policies';

export const store = proxyLocalActivities<OnboardingActivities>(REGISTRATION_INSERT);
export const io = proxyActivities<OnboardingActivities>(DATABASE_WRITES);
export const notices = proxyActivities<OnboardingActivities>(SIDE_NOTICES);
export const requestedCodes = proxyActivities<OnboardingActivities>(REQUESTED_CODES);

/** The first code, sent beside the lifecycle and retried until the onboarding's deadline (`forMs`). */
export function firstCodeWithin(forMs: number) {
  return proxyActivities<OnboardingActivities>(firstCodeOptions(forMs));
}
