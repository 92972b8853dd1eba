/** Moving an onboarding between statuses: persisted, mirrored in search attributes, never half-done. */
import { ApplicationFailure, upsertSearchAttributes } from '@temporalio/workflow';
import { FailureType } from '../../common/onboarding-contract';
import { OnboardingStatusKey } from '../../common/search-attributes';
import type { CustomerStatus } from '../../common/statuses';
import { io } from './activities';
import type { OnboardingState } from './state';

export async function moveTo(state: OnboardingState, status: CustomerStatus, reason: string): Promise<void> {
  if (state.status === status) return;
  await io.recordStatus({ tenantId: state.input.tenantId, customerId: state.input.customerId, status, reason });
  state.status = status;
  upsertSearchAttributes([{ key: OnboardingStatusKey, value: status }]);
}

/** After a customer action before KYC: note the progress and move to whatever is now pending. */
export async function advance(state: OnboardingState, reason: string): Promise<void> {
  state.progress += 1;
  state.lastProgressAt = Date.now();
  if (state.isBeforeKyc()) await moveTo(state, state.pendingStatus(), reason);
}

/** The refusal for an action that does not fit the current step: the API answers it with 409 INVALID_STATE. */
export function invalidState(state: OnboardingState, message: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureType.InvalidState,
    message,
    nonRetryable: true,
    details: [state.status, state.due()],
  });
}

export function requireStatus(state: OnboardingState, allowed: readonly string[], action: string): void {
  if (!allowed.includes(state.status)) throw invalidState(state, `Cannot ${action} while the onboarding is ${state.status}`);
}
