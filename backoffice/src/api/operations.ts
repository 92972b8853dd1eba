/** The operators' calls (api/operations/routes.ts): stuck and failed onboardings, retrying an activity, resets. */
import { query, request } from './client';
import type { FailedOnboarding, PendingActivity, ResetPlan, StuckOnboarding } from './types';

const BASE = '/api/v2.1/admin/operations';

export async function loadStuck(stuckFor: string, tenantId?: string): Promise<StuckOnboarding[]> {
  return (await request<{ data: StuckOnboarding[] }>('GET', `${BASE}/stuck${query({ for: stuckFor, tenantId })}`)).body.data;
}

export async function loadFailed(tenantId?: string): Promise<FailedOnboarding[]> {
  return (await request<{ data: FailedOnboarding[] }>('GET', `${BASE}/failed${query({ tenantId })}`)).body.data;
}

export async function retryActivity(customerId: string, activityId: string): Promise<PendingActivity[]> {
  return (await request<{ data: PendingActivity[] }>('POST', `${BASE}/activities/retry`, { body: { customerId, activityId, dryRun: false } })).body.data;
}

/** The reset's plan without doing it (dryRun), so the confirmation can say what will run again. */
export async function planReset(customerId: string): Promise<ResetPlan> {
  const body = { dryRun: true, reason: 'Dry run from the back office' };
  return (await request<ResetPlan>('POST', `${BASE}/onboardings/${encodeURIComponent(customerId)}/reset`, { body })).body;
}

export async function reset(customerId: string, reason: string, eventId: number): Promise<ResetPlan> {
  const body = { dryRun: false, reason, eventId };
  return (await request<ResetPlan>('POST', `${BASE}/onboardings/${encodeURIComponent(customerId)}/reset`, { body })).body;
}
