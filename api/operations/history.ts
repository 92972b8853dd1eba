/**
 * Reading a workflow history the way an operator needs it: one line per meaningful event (no payloads: they are
 * encrypted and may hold personal data), and where a reset would go back to and what would run again after it.
 * Pure functions over the history proto, so the rules are easy to read and to test.
 */
import { temporal } from '@temporalio/proto';
import { optionalTsToMs } from '@temporalio/common/lib/time';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const E = temporal.api.enums.v1.EventType;

export interface WorkflowEventLine {
  at: Date;
  eventId: number;
  /** e.g. ACTIVITY_FAILED, SIGNALED, CHILD_STARTED. */
  event: string;
  /** Names only: an activity type, signal or update name, a child's workflow id. */
  detail: string;
}

const eventIdOf = (event: HistoryEvent) => Number(event.eventId ?? 0);
const timeOf = (event: HistoryEvent) => new Date(optionalTsToMs(event.eventTime) ?? 0);

/** Activity names by the id of their scheduled event, for the events that refer back to it. */
function scheduledActivities(events: HistoryEvent[]): Map<number, string> {
  const names = new Map<number, string>();
  for (const event of events) {
    const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (name) names.set(eventIdOf(event), name);
  }
  return names;
}

/**
 * The story of one run, without the bookkeeping (workflow tasks, activity starts, search-attribute upserts):
 * lifecycle, activities and their outcome, timers, signals, updates, children.
 */
export function summariseHistory(events: HistoryEvent[]): WorkflowEventLine[] {
  const activities = scheduledActivities(events);
  const activityOf = (scheduledEventId: unknown) => activities.get(Number(scheduledEventId ?? 0)) ?? 'activity';
  const lines: WorkflowEventLine[] = [];
  const add = (event: HistoryEvent, name: string, detail = '') => lines.push({ at: timeOf(event), eventId: eventIdOf(event), event: name, detail });
  for (const event of events) {
    switch (event.eventType) {
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        add(event, 'WORKFLOW_STARTED', event.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '');
        break;
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
        add(event, 'WORKFLOW_COMPLETED');
        break;
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
        add(event, 'WORKFLOW_FAILED');
        break;
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT:
        add(event, 'WORKFLOW_TIMED_OUT');
        break;
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED:
        add(event, 'WORKFLOW_TERMINATED', event.workflowExecutionTerminatedEventAttributes?.reason ?? '');
        break;
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
        add(event, 'CONTINUED_AS_NEW');
        break;
      case E.EVENT_TYPE_WORKFLOW_TASK_FAILED:
        add(event, 'WORKFLOW_TASK_FAILED', String(event.workflowTaskFailedEventAttributes?.cause ?? ''));
        break;
      case E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        add(event, 'ACTIVITY_SCHEDULED', activityOf(event.eventId));
        break;
      case E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
        add(event, 'ACTIVITY_COMPLETED', activityOf(event.activityTaskCompletedEventAttributes?.scheduledEventId));
        break;
      case E.EVENT_TYPE_ACTIVITY_TASK_FAILED:
        add(event, 'ACTIVITY_FAILED', activityOf(event.activityTaskFailedEventAttributes?.scheduledEventId));
        break;
      case E.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
        add(event, 'ACTIVITY_TIMED_OUT', activityOf(event.activityTaskTimedOutEventAttributes?.scheduledEventId));
        break;
      case E.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
        add(event, 'ACTIVITY_CANCELED', activityOf(event.activityTaskCanceledEventAttributes?.scheduledEventId));
        break;
      case E.EVENT_TYPE_TIMER_FIRED:
        add(event, 'TIMER_FIRED');
        break;
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        add(event, 'SIGNALED', event.workflowExecutionSignaledEventAttributes?.signalName ?? '');
        break;
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        add(event, 'UPDATE_ACCEPTED', event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? '');
        break;
      case E.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
        add(event, 'CHILD_STARTED', event.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? '');
        break;
      case E.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED:
        add(event, 'CHILD_COMPLETED', event.childWorkflowExecutionCompletedEventAttributes?.workflowExecution?.workflowId ?? '');
        break;
      case E.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED:
        add(event, 'CHILD_FAILED', event.childWorkflowExecutionFailedEventAttributes?.workflowExecution?.workflowId ?? '');
        break;
      default:
        break;
    }
  }
  return lines;
}

/** Events after which the run is no longer on its good path: what the last good point is measured against. */
const FAILURE_EVENTS = new Set<number>([
  E.EVENT_TYPE_ACTIVITY_TASK_FAILED,
  E.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
  E.EVENT_TYPE_WORKFLOW_TASK_FAILED,
  E.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED,
  E.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT,
  E.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED,
  E.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  E.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
  E.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
]);

export interface ResetPlan {
  /** A WORKFLOW_TASK_COMPLETED event: the run is replayed up to it and goes on from there. */
  resetEventId: number;
  /** Why this point: the operator's choice, or what failed after it. */
  basis: string;
  /** Activities the new run schedules again (their scheduled events come after the point), in order. */
  activitiesRunAgain: string[];
  /** Signals received after the point: the server applies them again to the new run. */
  signalsReapplied: string[];
}

export class ResetPointError extends Error {}

/**
 * Where "the last good point" is: with `chosenEventId`, that event (it must be a completed workflow task);
 * otherwise the workflow task that scheduled a still-retrying activity (`retryingScheduledEventId`), else the last
 * completed workflow task before the first failure, else the last completed workflow task.
 */
export function planReset(events: HistoryEvent[], options: { chosenEventId?: number; retryingScheduledEventId?: number } = {}): ResetPlan {
  const completedTasks = events.filter((event) => event.eventType === E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).map(eventIdOf);
  if (completedTasks.length === 0) throw new ResetPointError('The run has no completed workflow task to go back to');
  const lastCompletedBefore = (eventId: number) => completedTasks.filter((id) => id < eventId).at(-1);
  let resetEventId: number | undefined;
  let basis: string;
  if (options.chosenEventId !== undefined) {
    if (!completedTasks.includes(options.chosenEventId)) {
      throw new ResetPointError(`Event ${options.chosenEventId} is not a completed workflow task of this run (choose one of ${completedTasks.slice(-10).join(', ')})`);
    }
    resetEventId = options.chosenEventId;
    basis = 'the chosen event';
  } else if (options.retryingScheduledEventId !== undefined) {
    const scheduled = events.find((event) => eventIdOf(event) === options.retryingScheduledEventId);
    resetEventId = Number(scheduled?.activityTaskScheduledEventAttributes?.workflowTaskCompletedEventId ?? 0) || lastCompletedBefore(options.retryingScheduledEventId);
    basis = `the workflow task that scheduled the retrying activity ${scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? ''}`.trim();
  } else {
    const failure = events.find((event) => FAILURE_EVENTS.has(event.eventType ?? 0));
    const failedActivity = failure?.activityTaskFailedEventAttributes ?? failure?.activityTaskTimedOutEventAttributes;
    const scheduledBy = failedActivity
      ? events.find((event) => eventIdOf(event) === Number(failedActivity.scheduledEventId ?? 0))?.activityTaskScheduledEventAttributes?.workflowTaskCompletedEventId
      : undefined;
    resetEventId = failure ? Number(scheduledBy ?? 0) || lastCompletedBefore(eventIdOf(failure)) : completedTasks.at(-1);
    basis = failure ? `the last completed workflow task before ${E[failure.eventType ?? 0].replace('EVENT_TYPE_', '')} (event ${eventIdOf(failure)})` : 'the last completed workflow task';
  }
  if (resetEventId === undefined) throw new ResetPointError('No completed workflow task precedes the failure');
  const after = events.filter((event) => eventIdOf(event) > resetEventId!);
  return {
    resetEventId,
    basis,
    activitiesRunAgain: after.flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []),
    signalsReapplied: after.flatMap((event) => event.workflowExecutionSignaledEventAttributes?.signalName ?? []),
  };
}
