/**
 * Moving an organization's onboarding on: every status or KYB status change is persisted (with a history row for
 * a status change) before the workflow's state follows, and mirrored in search attributes (ids and statuses only).
 */
import { ApplicationFailure, upsertSearchAttributes } from '@temporalio/workflow';
import { FailureType } from '../../common/onboarding-contract';
import { DueRequirementKey, KybStatusKey, OnboardingStatusKey } from '../../common/search-attributes';
import type { KybStatus, OrganizationStatus } from '../../common/statuses';
import { io } from './activities';
import type { OrganizationState } from './state';

export async function moveTo(state: OrganizationState, change: { status?: OrganizationStatus; kybStatus?: KybStatus }, reason: string): Promise<void> {
  const status = change.status !== state.status ? change.status : undefined;
  const kybStatus = change.kybStatus !== state.kybStatus ? change.kybStatus : undefined;
  if (!status && !kybStatus) return;
  await io.recordOrganizationStatus({ tenantId: state.input.tenantId, organizationId: state.organizationId, status, kybStatus, reason });
  if (status) state.status = status;
  if (kybStatus) state.kybStatus = kybStatus;
  indexState(state);
}

/** Writes the search attributes whose value changed: what staff filter on in the Temporal UI. */
export function indexState(state: OrganizationState): void {
  const due = state.requirements();
  const values = [
    { key: OnboardingStatusKey, value: state.status },
    { key: KybStatusKey, value: state.kybStatus },
    { key: DueRequirementKey, value: due.currentlyDue[0] ?? due.pendingVerification[0] ?? null },
  ];
  const changed = values.filter(({ key, value }) => state.indexed[key.name] !== value);
  if (changed.length === 0) return;
  for (const { key, value } of changed) state.indexed[key.name] = value;
  upsertSearchAttributes(changed);
}

/** The refusal of an action that does not fit the current step: 409 INVALID_STATE at the API, naming what is due. */
export function invalidState(state: OrganizationState, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureType.InvalidState, message, nonRetryable: true, details: [state.status, state.due()] });
}

export function requireStatus(state: OrganizationState, allowed: readonly string[], action: string): void {
  if (!allowed.includes(state.status)) throw invalidState(state, `Cannot ${action} while the organization is ${state.status}`);
}
