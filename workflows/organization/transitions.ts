/**
 * Moving an organization's onboarding on. Step moves go through the step engine (`flow.moveTo`), whose
 * `recordStatus` hook (below) persists the organization status and KYB status a step implies, with a history row
 * for a status change; the KybStatus search attribute follows here (ids and statuses only).
 */
import { ApplicationFailure, upsertSearchAttributes } from '@temporalio/workflow';
import { FailureType } from '../../common/onboarding-contract';
import type { Requirements } from '../../common/lifecycle';
import type { OrganizationStep } from '../../common/organization-contract';
import { KybStatusKey } from '../../common/search-attributes';
import type { KybStatus, OrganizationStatus } from '../../common/statuses';
import { io } from './activities';
import { organizationStatusOf, type OrganizationState } from './state';

/** The KYB status a step implies (undefined: it keeps the current one). */
const KYB_STATUS_OF: Partial<Record<OrganizationStep, KybStatus>> = { MANUAL_REVIEW: 'MANUAL_REVIEW', APPROVED: 'APPROVED', REJECTED: 'REJECTED' };

/**
 * The engine's recordStatus: writes only what changes (a move between two ONBOARDING steps writes no status, only
 * the requirements the move changed).
 */
export async function recordStep(state: OrganizationState, step: OrganizationStep, reason: string, requirements?: Requirements): Promise<void> {
  const target = organizationStatusOf(step);
  const status = target !== state.organizationStatus ? (target as OrganizationStatus) : undefined;
  const kybStatus = KYB_STATUS_OF[step] !== state.kybStatus ? KYB_STATUS_OF[step] : undefined;
  const { tenantId } = state.input;
  if (!status && !kybStatus) {
    // Only executions that record requirement events pass them (the engine's patch), so older histories replay.
    if (requirements) await io.recordRequirements({ tenantId, customerId: state.organizationId, requirements });
    return;
  }
  await io.recordOrganizationStatus({ tenantId, organizationId: state.organizationId, status, kybStatus, reason, ...(requirements ? { requirements } : {}) });
  if (kybStatus) state.kybStatus = kybStatus;
  indexKybStatus(state);
}

/** The KybStatus search attribute, written when it changed. */
export function indexKybStatus(state: OrganizationState): void {
  if (state.indexedKybStatus === state.kybStatus) return;
  state.indexedKybStatus = state.kybStatus;
  upsertSearchAttributes([{ key: KybStatusKey, value: state.kybStatus }]);
}

/** The refusal of an action that does not fit the current step: 409 INVALID_STATE at the API, naming what is due. */
export function invalidState(state: OrganizationState, message: string, due: readonly string[] = state.due()): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureType.InvalidState, message, nonRetryable: true, details: [state.organizationStatus, due] });
}

export function requireSteps(state: OrganizationState, allowed: readonly OrganizationStep[], action: string): void {
  if (!allowed.includes(state.status)) throw invalidState(state, `Cannot ${action} while the organization is ${state.organizationStatus}`);
}
