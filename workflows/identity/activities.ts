/**
 * Activity stubs of the identity-verification child, on the shared policies (workflows/activity-policies.ts):
 * database writes retried until the database is back, provider calls retried for a few minutes but never on a
 * refusal, invitations bounded so an unreachable address cannot hold the check. An unknown subject or one
 * without an address fails at once (non-retryable ApplicationFailures from the activities).
 */
import { proxyActivities } from '@temporalio/workflow';
import type { OnboardingActivities } from '../../activities';
import { DATABASE_WRITES, providerCalls, SIDE_NOTICES } from '../activity-policies';

export const io = proxyActivities<OnboardingActivities>(DATABASE_WRITES);
export const kycProvider = proxyActivities<OnboardingActivities>(providerCalls(['KycProviderRejected', 'KycProviderInvalidResponse']));
export const invitations = proxyActivities<OnboardingActivities>(SIDE_NOTICES);
