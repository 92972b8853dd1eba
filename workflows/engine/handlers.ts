/**
 * Registering an action as a workflow update guarded by the current step. The validator runs before anything is
 * written: a status outside `when` is refused with InvalidState naming the status and what is due, then the
 * action's own synchronous `check` runs (throttles, single-flight flags). Handlers throw ApplicationFailure only.
 */
import { setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { Flow, FlowState } from './flow';
import { requireStep } from './status';

export interface StepGuard<S extends string, Args extends unknown[]> {
  /** The statuses in which the action is accepted; omit to leave the whole decision to `check`. */
  when?: readonly S[];
  /** Names the action in the refusal: "Cannot <action> while the onboarding is <status>". */
  action: string;
  /** Further synchronous checks; throw an ApplicationFailure to refuse. */
  check?: (...args: Args) => void;
}

export type OnUpdate<S extends string, St extends FlowState<S>> = <Ret, Args extends unknown[]>(
  state: St,
  update: UpdateDefinition<Ret, Args>,
  guard: StepGuard<S, Args>,
  handler: (...args: Args) => Promise<Ret>,
) => void;

export function onUpdate<S extends string, St extends FlowState<S>, Ret, Args extends unknown[]>(
  flow: Flow<S, St>,
  state: St,
  update: UpdateDefinition<Ret, Args>,
  guard: StepGuard<S, Args>,
  handler: (...args: Args) => Promise<Ret>,
): void {
  setHandler(update, handler, {
    validator: (...args: Args) => {
      if (guard.when) requireStep(flow, state, guard.when, guard.action);
      guard.check?.(...args);
    },
  });
}
