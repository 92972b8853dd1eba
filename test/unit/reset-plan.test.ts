/** Where a reset goes back to, and what it says will run again, over hand-built histories. */
import { google, temporal } from '@temporalio/proto';
import { planReset, ResetPointError, summariseHistory } from '../../api/operations/history';

const E = temporal.api.enums.v1.EventType;
type Event = temporal.api.history.v1.IHistoryEvent;

/** A run: started, a task scheduling `first`, which completes; a task scheduling `second`, then `ending`. */
function history(ending: 'activityFailed' | 'terminated' | 'none'): Event[] {
  const events: Event[] = [
    { eventType: E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, workflowExecutionStartedEventAttributes: { workflowType: { name: 'individualOnboarding' } } },
    { eventType: E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED },
    { eventType: E.EVENT_TYPE_WORKFLOW_TASK_STARTED },
    { eventType: E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED }, // 4
    { eventType: E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, activityTaskScheduledEventAttributes: { activityId: '1', activityType: { name: 'recordStatus' }, workflowTaskCompletedEventId: 4 as never } },
    { eventType: E.EVENT_TYPE_ACTIVITY_TASK_STARTED, activityTaskStartedEventAttributes: { scheduledEventId: 5 as never } },
    { eventType: E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, activityTaskCompletedEventAttributes: { scheduledEventId: 5 as never } },
    { eventType: E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED },
    { eventType: E.EVENT_TYPE_WORKFLOW_TASK_STARTED },
    { eventType: E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED }, // 10
    { eventType: E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, activityTaskScheduledEventAttributes: { activityId: '2', activityType: { name: 'sendVerificationEmail' }, workflowTaskCompletedEventId: 10 as never } },
    { eventType: E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, workflowExecutionSignaledEventAttributes: { signalName: 'kycResult' } },
  ];
  if (ending === 'activityFailed') {
    events.push(
      { eventType: E.EVENT_TYPE_ACTIVITY_TASK_STARTED, activityTaskStartedEventAttributes: { scheduledEventId: 11 as never } },
      { eventType: E.EVENT_TYPE_ACTIVITY_TASK_FAILED, activityTaskFailedEventAttributes: { scheduledEventId: 11 as never } },
      { eventType: E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED },
      { eventType: E.EVENT_TYPE_WORKFLOW_TASK_STARTED },
      { eventType: E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED }, // 17
      { eventType: E.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED },
    );
  }
  if (ending === 'terminated') events.push({ eventType: E.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, workflowExecutionTerminatedEventAttributes: { reason: 'oops' } });
  return events.map((event, index) => ({ ...event, eventId: (index + 1) as never, eventTime: google.protobuf.Timestamp.fromObject({ seconds: 1_700_000_000 + index, nanos: 0 }) }));
}

it('goes back to the task that scheduled the activity that failed, and says it runs again', () => {
  const plan = planReset(history('activityFailed'));
  expect(plan).toMatchObject({ resetEventId: 10, activitiesRunAgain: ['sendVerificationEmail'], signalsReapplied: ['kycResult'] });
  expect(plan.basis).toContain('ACTIVITY_TASK_FAILED (event 14)');
});

it('goes back to the task that scheduled a still-retrying activity', () => {
  expect(planReset(history('none'), { retryingScheduledEventId: 11 })).toMatchObject({ resetEventId: 10, activitiesRunAgain: ['sendVerificationEmail'] });
});

it('goes back to the last completed task before a termination, or the last one when nothing failed', () => {
  expect(planReset(history('terminated'))).toMatchObject({ resetEventId: 10, basis: expect.stringContaining('WORKFLOW_EXECUTION_TERMINATED') });
  expect(planReset(history('none'))).toMatchObject({ resetEventId: 10, basis: 'the last completed workflow task' });
});

it('takes a chosen completed task, listing everything after it, and refuses any other event', () => {
  expect(planReset(history('activityFailed'), { chosenEventId: 4 })).toMatchObject({ resetEventId: 4, activitiesRunAgain: ['recordStatus', 'sendVerificationEmail'] });
  expect(() => planReset(history('activityFailed'), { chosenEventId: 5 })).toThrow(ResetPointError);
});

it('summarises a run by names only: activities with their outcome, signals, the end', () => {
  const lines = summariseHistory(history('activityFailed')).map((line) => `${line.event} ${line.detail}`.trim());
  expect(lines).toEqual([
    'WORKFLOW_STARTED individualOnboarding',
    'ACTIVITY_SCHEDULED recordStatus',
    'ACTIVITY_COMPLETED recordStatus',
    'ACTIVITY_SCHEDULED sendVerificationEmail',
    'SIGNALED kycResult',
    'ACTIVITY_FAILED sendVerificationEmail',
    'WORKFLOW_FAILED',
  ]);
});
