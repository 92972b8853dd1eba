/**
 * Status moves and refusals. A move is persisted first (the flow's history row), then applied to the state and
 * mirrored in search attributes, so the database, the workflow and the Temporal UI never disagree for long.
 */
import { ApplicationFailure, patched, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { FailureType } from '../../common/onboarding-contract';
import { DueRequirementKey, OnboardingStatusKey } from '../../common/search-attributes';
import type { Flow, FlowState } from './flow';
import { currentDetailsText, type WaitingOn } from '../../common/workflow-labels';
import { firstDue } from './requirements';

/** Executions started before it did not mirror their first due requirement in the DueRequirement search attribute. */
export const DUE_REQUIREMENT_ATTRIBUTE = 'due-requirement-search-attribute';

export async function moveTo<S extends string, St extends FlowState<S>>(flow: Flow<S, St>, state: St, status: S, reason: string): Promise<void> {
  if (state.status === status) return;
  await flow.definition.recordStatus(state, status, reason);
  state.status = status;
  publish(flow, state, true);
}

/**
 * Mirrors the state in search attributes: the status when it changed, and the first due requirement when that
 * changed (one upsert for both). Call it after anything that may change what is due without a status move.
 */
export function publish<S extends string, St extends FlowState<S>>(flow: Flow<S, St>, state: St, statusChanged: boolean): void {
  const updates: SearchAttributeUpdatePair[] = statusChanged
    ? [{ key: OnboardingStatusKey, value: flow.definition.indexedStatus?.(state) ?? state.status }, ...(flow.definition.indexedOnMove?.(state) ?? [])]
    : [];
  showCurrentDetails(flow, state);
  if (patched(DUE_REQUIREMENT_ATTRIBUTE)) {
    const due = firstDue(flow.requirements(state));
    if (due !== (state.dueRequirement ?? null)) {
      updates.push({ key: DueRequirementKey, value: due });
      state.dueRequirement = due;
    }
  }
  if (updates.length > 0) upsertSearchAttributes(updates);
}

/**
 * The UI's current details (the workflow metadata query): the step, who holds it, what is due. Not a command, so it
 * needs no patch; a new run (continue-as-new) shows them again at its start.
 */
export function showCurrentDetails<S extends string, St extends FlowState<S>>(flow: Flow<S, St>, state: St): void {
  const requirements = flow.requirements(state);
  const kind = state.ended ? undefined : flow.stepOf(state.status);
  const waitingOn: WaitingOn =
    kind === undefined ? 'nobody' : kind.kind === 'check' ? 'provider' : kind.kind === 'staff' ? 'staff' : kind.remind ? 'customer' : 'tenant';
  setCurrentDetails(currentDetailsText({ step: state.status, waitingOn, due: requirements.currentlyDue, pending: requirements.pendingVerification }));
}

/** An accepted action: it pushes the expiry back and ends the current wait. */
export function progressed(state: FlowState): void {
  state.progress += 1;
  state.lastProgressAt = Date.now();
}

/** The refusal for an action that does not fit the current step; details: [status, due] (409 INVALID_STATE at the API). */
export function invalidState<S extends string, St extends FlowState<S>>(flow: Flow<S, St>, state: St, message: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureType.InvalidState,
    message,
    nonRetryable: true,
    details: [state.status, flow.definition.due(state)],
  });
}

export function requireStep<S extends string, St extends FlowState<S>>(flow: Flow<S, St>, state: St, allowed: readonly S[], action: string): void {
  if (!allowed.includes(state.status)) throw invalidState(flow, state, `Cannot ${action} while the onboarding is ${state.status}`);
}
