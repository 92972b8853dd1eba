/**
 * The KYB workflow's activity stubs, on the shared policies (workflows/activity-policies.ts). Vendor calls
 * (registry lookup, check, poll) retry transient faults for a few minutes and refusals or unreadable answers not
 * at all; either way the workflow then falls back to manual review.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { OnboardingActivities } from '../../activities';
import { DATABASE_WRITES, providerCalls } from '../activity-policies';

export const io = proxyActivities<OnboardingActivities>(DATABASE_WRITES);
export const vendor = proxyActivities<OnboardingActivities>(providerCalls(['KybProviderRejected', 'KybProviderInvalidResponse']));
