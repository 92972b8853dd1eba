/**
 * What a flow on the step engine is made of: its state (the few fields the engine reads and writes), its steps
 * (one per status in which it waits), and the hooks through which the engine reaches the flow's own activities.
 */
import type { Duration, SearchAttributeUpdatePair } from '@temporalio/common';
import type { ApplicationFailure } from '@temporalio/workflow';
import type { RequirementError, Requirements } from '../../common/lifecycle';
import type { OnUpdate } from './handlers';

/** The engine's part of a flow's state. The flow keeps everything else (what was achieved, ids, counters). */
export interface FlowState<S extends string = string> {
  status: S;
  /** Bumped by every accepted action (see `progressed`); a wait that sees it move is over. */
  progress: number;
  /** Workflow time of the last progress: the expiry deadline counts from it. */
  lastProgressAt: number;
  /** Reminders sent so far (the n-th reminder's idempotency key uses it). */
  reminders: number;
  /** Set while this run hands over to the next: work retrying beside the lifecycle stops. */
  continuing: boolean;
  /** The DueRequirement search attribute as last upserted (carried across continue-as-new). */
  dueRequirement?: string | null;
  /** The requirements last recorded as a webhook event (carried across continue-as-new). */
  publishedRequirements?: Requirements;
  /** A requirements write is running: the next one waits, so they are recorded in order (this run only). */
  requirementsInFlight?: boolean;
  /** The flow has reached an outcome; the main loop stops. */
  readonly ended: boolean;
}

/** Waits on the customer (`remind`: reminder e-mails) or the tenant; expires when nothing moves for `expireAfter`. */
export interface AwaitStep<S extends string> {
  kind: 'await';
  status: S;
  remind: boolean;
}
/** Staff decide: no reminder, no deadline. */
export interface StaffStep<S extends string> {
  kind: 'staff';
  status: S;
}
/** A provider check the engine runs to its end; the run never continues as new while one is open. */
export interface CheckStep<S extends string, St extends FlowState<S>> {
  kind: 'check';
  status: S;
  /** Ends by moving the flow on (e.g. to approved, rejected or a staff step). */
  run: (state: St, flow: Flow<S, St>) => Promise<void>;
}
export type Step<S extends string, St extends FlowState<S>> = AwaitStep<S> | StaffStep<S> | CheckStep<S, St>;

export const customerStep = <S extends string>(status: S): AwaitStep<S> => ({ kind: 'await', status, remind: true });
export const tenantStep = <S extends string>(status: S): AwaitStep<S> => ({ kind: 'await', status, remind: false });
export const staffDecision = <S extends string>(status: S): StaffStep<S> => ({ kind: 'staff', status });
/** The flow's types come from `run` (a check works on the whole flow), not from the one status given here. */
export const providerCheck = <S extends string, St extends FlowState<S>>(status: NoInfer<S>, run: CheckStep<S, St>['run']): CheckStep<S, St> => ({
  kind: 'check',
  status,
  run,
});

/** A flow as its author writes it. Hooks receive the bound flow so they can move statuses themselves. */
export interface FlowDefinition<S extends string, St extends FlowState<S>> {
  steps: ReadonlyArray<Step<S, St>>;
  /** The waits' durations, from the policy the onboarding started with. */
  deadlines(state: St): { reminderAfter: Duration; expireAfter: Duration };
  /** Everything outstanding now, in order (B2C's documented `due`); the step's kind says who holds it. */
  due(state: St): readonly string[];
  /** Being checked beside the current step. */
  pending?(state: St): readonly string[];
  /** What was checked and failed, with a reason the tenant may read (never a provider's finding). */
  errors?(state: St): readonly RequirementError[];
  /**
   * Persists a status change (a history row); retried until it succeeds. `requirements`, when given, are what is
   * due at the new status, changed by the move: recorded with it (customer.requirements_changed).
   */
  recordStatus(state: St, status: S, reason: string, requirements?: Requirements): Promise<void>;
  /** Records changed requirements without a status move (customer.requirements_changed); retried until it succeeds. */
  recordRequirements(state: St, requirements: Requirements): Promise<void>;
  /** Sends the `state.reminders`-th reminder. */
  remind(state: St, flow: Flow<S, St>): Promise<void>;
  /** No progress before the deadline: move to the flow's expired status and say so. */
  expire(state: St, flow: Flow<S, St>): Promise<void>;
  /** Awaits work running beside the lifecycle (notices): before the run ends or hands over. */
  settle(state: St): Promise<void>;
  /** The next run's workflow input when the history grows long (the flow's state, carried). */
  nextRun(state: St): unknown;
  /**
   * The OnboardingStatus search attribute's value, when the flow's steps are finer than the status staff filter on
   * (an organization's steps all belong to ONBOARDING). Default: the step's status.
   */
  indexedStatus?(state: St): string;
  /**
   * More search attributes upserted with OnboardingStatus on every status move (the individual's KycStatus). A flow
   * that adds one to existing executions decides here, behind its own patch, whether to.
   */
  indexedOnMove?(state: St): SearchAttributeUpdatePair[];
}

/** The engine bound to one flow definition (see ./index.ts for what each does). */
export interface Flow<S extends string, St extends FlowState<S>> {
  readonly definition: FlowDefinition<S, St>;
  stepOf(status: string): Step<S, St> | undefined;
  run(state: St, options: RunOptions): Promise<void>;
  finish(state: St): Promise<void>;
  moveTo(state: St, status: S, reason: string): Promise<void>;
  publish(state: St, statusChanged: boolean): Promise<void>;
  /** The requirements at `status`, when they differ from those last recorded and this execution records them. */
  requirementsToRecord(state: St, status: S): Requirements | undefined;
  progressed(state: St): void;
  requirements(state: St): Requirements;
  invalidState(state: St, message: string): ApplicationFailure;
  requireStep(state: St, allowed: readonly S[], action: string): void;
  onUpdate: OnUpdate<S, St>;
}

export interface RunOptions {
  /** False only for executions started before continue-as-new existed: they never hand over. */
  mayContinueAsNew: boolean;
  /** History length past which the run continues as new even if the server has not suggested it. */
  continueAsNewAfterEvents: number;
}
