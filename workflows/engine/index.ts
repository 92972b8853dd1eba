/**
 * The step engine: an onboarding flow written as a list of steps, one per status in which it waits.
 *
 *   const flow = defineFlow<Status, MyState>({
 *     steps: [
 *       customerStep('PENDING_EMAIL'),          // waits on the customer: reminders every reminderAfter, expiry
 *       tenantStep('PENDING_KYB'),              // waits on the tenant: expiry, no reminders
 *       providerCheck('KYB_IN_PROGRESS', runKyb), // run(state, flow) to its end; never continued as new meanwhile
 *       staffDecision('MANUAL_REVIEW'),         // staff decide: no deadline
 *     ],
 *     deadlines, due, pending?, errors?,        // policy durations; requirements (see ./requirements.ts)
 *     recordStatus, recordRequirements, remind, expire, settle, nextRun, // its activities and carried state
 *   });
 *   flow.onUpdate(state, startKybUpdate, { when: ['PENDING_KYB'], action: 'start KYB' }, () => startKyb(flow, state));
 *   await flow.run(state, { mayContinueAsNew: true, continueAsNewAfterEvents: 10_000 });
 *   await flow.finish(state);
 *
 * The engine's API (S: the flow's status type, St: its state, which includes `FlowState<S>`):
 * - `run(state, options)`: the main loop until `state.ended`, or continue-as-new with `nextRun(state)` between steps
 *   when the server suggests it or the history passes `continueAsNewAfterEvents` (never during a check step).
 *   A waiting step expires after `expireAfter` without progress (counted from `state.lastProgressAt`).
 * - `finish(state)`: before returning, waits for running update handlers and `settle(state)`.
 * - `moveTo(state, status, reason)`: persists (`recordStatus`, with the requirements at the new step when the move
 *   changes them), applies, upserts OnboardingStatus and the flow's `indexedOnMove` attributes (and DueRequirement,
 *   behind the `due-requirement-search-attribute` patch), and sets the Temporal UI's current details (step, who
 *   holds it, what is due). A no-op when already there.
 * - `publish(state, statusChanged)`: the same upserts and details without a move, and `recordRequirements` when what
 *   is due changed (customer.requirements_changed, behind the `requirement-webhook-events` patch); await it.
 * - `requirementsToRecord(state, status)`: for a first status written outside moveTo (registration).
 * - `progressed(state)`: an accepted action; ends the current wait and pushes the expiry back.
 * - `requirements(state)`: `{ currentlyDue, pendingVerification, errors }` from `due` and the current step's kind.
 * - `onUpdate(state, update, { when?, action, check? }, handler)`: an update refused before anything is written,
 *   with FailureType.InvalidState and details [status, due], outside `when`; `check` adds synchronous refusals.
 * - `invalidState(state, message)`, `requireStep(state, allowed, action)`: the same refusal, for handlers' own use.
 * - `stepOf(status)`: the step declared for a status.
 * The flow owns its statuses, state, activities and idempotency keys; the engine owns the loop and the plumbing.
 */
import type { Flow, FlowDefinition, FlowState } from './flow';
import { onUpdate } from './handlers';
import { finish, runSteps } from './loop';
import { deriveRequirements } from './requirements';
import { changedRequirements, invalidState, moveTo, progressed, publish, requireStep } from './status';

export function defineFlow<S extends string, St extends FlowState<S>>(definition: FlowDefinition<S, St>): Flow<S, St> {
  const stepsByStatus = new Map(definition.steps.map((step) => [step.status as string, step]));
  const flow: Flow<S, St> = {
    definition,
    stepOf: (status) => stepsByStatus.get(status),
    run: (state, options) => runSteps(flow, state, options),
    finish: (state) => finish(flow, state),
    moveTo: (state, status, reason) => moveTo(flow, state, status, reason),
    publish: (state, statusChanged) => publish(flow, state, statusChanged),
    requirementsToRecord: (state, status) => changedRequirements(flow, state, status),
    progressed,
    requirements: (state) =>
      deriveRequirements({
        kind: state.ended ? undefined : flow.stepOf(state.status)?.kind,
        due: definition.due(state),
        pending: definition.pending?.(state),
        errors: definition.errors?.(state),
      }),
    invalidState: (state, message) => invalidState(flow, state, message),
    requireStep: (state, allowed, action) => requireStep(flow, state, allowed, action),
    onUpdate: (state, update, guard, handler) => onUpdate(flow, state, update, guard, handler),
  };
  return Object.freeze(flow);
}

export { customerStep, providerCheck, staffDecision, tenantStep } from './flow';
export type { Flow, FlowDefinition, FlowState, RunOptions, Step } from './flow';
export type { StepGuard } from './handlers';
export { DUE_REQUIREMENT_ATTRIBUTE } from './status';
export { applied } from './patches';
export { deriveRequirements, firstDue, type StepKind } from './requirements';
