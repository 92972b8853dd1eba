/**
 * Status moves and refusals. A move is persisted first (the flow's history row), then applied to the state and
 * mirrored in search attributes, so the database, the workflow and the Temporal UI never disagree for long.
 */
import { ApplicationFailure, condition, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { Requirements } from '../../common/lifecycle';
import { FailureType } from '../../common/onboarding-contract';
import { DueRequirementKey, OnboardingStatusKey } from '../../common/search-attributes';
import type { Flow, FlowState } from './flow';
import { currentDetailsText, type WaitingOn } from '../../common/workflow-labels';
import { firstDue } from './requirements';
import { applied } from './patches';

/** Executions started before it did not mirror their first due requirement in the DueRequirement search attribute. */
export const DUE_REQUIREMENT_ATTRIBUTE = 'due-requirement-search-attribute';
/** Executions started before it recorded no customer.requirements_changed webhook events. */
export const REQUIREMENT_EVENTS = 'requirement-webhook-events';

/**
 * Persists the move (with the requirements at the new status, when they change with it: one activity for both),
 * then applies it. Requirement writes never overlap (`requirementsInFlight`), so they reach the outbox in the
 * order the flow computed them; the flag is only ever set under REQUIREMENT_EVENTS, so older histories replay
 * without the wait.
 */
export async function moveTo<S extends string, St extends FlowState<S>>(flow: Flow<S, St>, state: St, status: S, reason: string): Promise<void> {
  if (state.status === status) return;
  if (state.requirementsInFlight) {
    await condition(() => !state.requirementsInFlight);
    if (state.status === status) return;
  }
  const requirements = changedRequirements(flow, state, status);
  if (requirements) state.requirementsInFlight = true;
  try {
    await flow.definition.recordStatus(state, status, reason, requirements);
  } finally {
    if (requirements) state.requirementsInFlight = false;
  }
  state.status = status;
  if (requirements) state.publishedRequirements = requirements;
  mirror(flow, state, true);
}

/**
 * After anything that may change what is due without a status move: mirrors the state in search attributes and
 * records the requirements when they changed (awaited, so a caller's next move is recorded after them).
 */
export async function publish<S extends string, St extends FlowState<S>>(flow: Flow<S, St>, state: St, statusChanged: boolean): Promise<void> {
  mirror(flow, state, statusChanged);
  for (;;) {
    if (state.requirementsInFlight) {
      await condition(() => !state.requirementsInFlight);
      continue;
    }
    const requirements = changedRequirements(flow, state, state.status);
    if (!requirements) return;
    state.requirementsInFlight = true;
    try {
      await flow.definition.recordRequirements(state, requirements);
      state.publishedRequirements = requirements;
    } finally {
      state.requirementsInFlight = false;
    }
  }
}

/**
 * The status in search attributes when it changed, and the first due requirement when that changed (one upsert
 * for both).
 */
function mirror<S extends string, St extends FlowState<S>>(flow: Flow<S, St>, state: St, statusChanged: boolean): void {
  const updates: SearchAttributeUpdatePair[] = statusChanged
    ? [{ key: OnboardingStatusKey, value: flow.definition.indexedStatus?.(state) ?? state.status }, ...(flow.definition.indexedOnMove?.(state) ?? [])]
    : [];
  showCurrentDetails(flow, state);
  if (applied(DUE_REQUIREMENT_ATTRIBUTE)) {
    const due = firstDue(flow.requirements(state));
    if (due !== (state.dueRequirement ?? null)) {
      updates.push({ key: DueRequirementKey, value: due });
      state.dueRequirement = due;
    }
  }
  if (updates.length > 0) upsertSearchAttributes(updates);
}

/**
 * The requirements at `status` when they differ from those last recorded (and the execution records them). A flow
 * whose first status is written outside moveTo (registration) passes them to that write and sets
 * `publishedRequirements` once it succeeded.
 */
export function changedRequirements<S extends string, St extends FlowState<S>>(flow: Flow<S, St>, state: St, status: S): Requirements | undefined {
  const current = state.status;
  state.status = status; // requirements follow the step's kind: read them as they will be once the move is applied
  let next: Requirements;
  try {
    next = flow.requirements(state);
  } finally {
    state.status = current;
  }
  if (state.publishedRequirements && sameRequirements(next, state.publishedRequirements)) return undefined;
  return applied(REQUIREMENT_EVENTS) ? next : undefined;
}

function sameRequirements(a: Requirements, b: Requirements): boolean {
  const key = (r: Requirements) => JSON.stringify([r.currentlyDue, r.pendingVerification, r.errors.map((e) => [e.requirement, e.reason])]);
  return key(a) === key(b);
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
