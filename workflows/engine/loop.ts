/**
 * The main loop: run the current step until the flow ends. Waiting steps remind and expire; staff steps wait with
 * no deadline; a check step runs to its end. Between steps, when the history grows long, the run hands its state
 * to the next run (continue-as-new), never while a check is open (the next run would submit it again).
 */
import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import type { AwaitStep, Flow, FlowState, RunOptions } from './flow';
import { showCurrentDetails } from './status';

export async function runSteps<S extends string, St extends FlowState<S>>(flow: Flow<S, St>, state: St, options: RunOptions): Promise<void> {
  const timeToContinue = () =>
    options.mayContinueAsNew && flow.stepOf(state.status)?.kind !== 'check' && historyIsLong(options.continueAsNewAfterEvents);
  showCurrentDetails(flow, state); // a continued run starts with empty details
  while (!state.ended) {
    if (timeToContinue()) return handOver(flow, state);
    const step = flow.stepOf(state.status);
    if (step === undefined) throw new Error(`No step for status ${state.status}`); // a flow bug: fail the task, fix, it resumes
    if (step.kind === 'check') await step.run(state, flow);
    else if (step.kind === 'await') await waitForProgress(flow, state, step);
    else await condition(() => state.status !== step.status || timeToContinue()); // staff decide; no deadline on them
  }
}

/** Before the workflow returns: the updates still running and the work beside the lifecycle. */
export async function finish<S extends string, St extends FlowState<S>>(flow: Flow<S, St>, state: St): Promise<void> {
  await condition(allHandlersFinished);
  await flow.definition.settle(state);
  showCurrentDetails(flow, state);
}

function historyIsLong(afterEvents: number): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= afterEvents;
}

async function handOver<S extends string, St extends FlowState<S>>(flow: Flow<S, St>, state: St): Promise<never> {
  state.continuing = true;
  await finish(flow, state); // promises cannot be carried into the next run
  return continueAsNew<(input: unknown) => Promise<unknown>>(flow.definition.nextRun(state));
}

/**
 * Waits for the next action; reminds on the customer's steps; expires the flow when it stalls.
 * (Date.now() in a workflow is the workflow's own clock, replayed identically.)
 */
async function waitForProgress<S extends string, St extends FlowState<S>>(flow: Flow<S, St>, state: St, step: AwaitStep<S>): Promise<void> {
  const seen = { progress: state.progress, status: state.status };
  const { reminderAfter, expireAfter } = flow.definition.deadlines(state);
  const deadline = state.lastProgressAt + msToNumber(expireAfter);
  if (Date.now() >= deadline) return flow.definition.expire(state, flow);
  const timeout = Math.min(msToNumber(reminderAfter), deadline - Date.now());
  const moved = await condition(() => state.progress !== seen.progress || state.status !== seen.status, timeout);
  if (moved || state.ended) return;
  if (Date.now() >= deadline) return flow.definition.expire(state, flow);
  if (step.remind) {
    state.reminders += 1;
    await flow.definition.remind(state, flow);
  }
}
