/**
 * Operator tooling over Temporal and PostgreSQL, used by the CLI (scripts/ops) and the admin routes alike: find
 * onboardings that are stuck, failed or waiting on staff, show one's timeline, reset a failed run to its last good
 * point, retry or skip a stuck activity, and do the same for many at once. Writes go through Temporal only.
 */
import type { Client } from '@temporalio/client';
import type { Knex } from '../../common/db';
import { onboardingWorkflowId } from '../../common/onboarding-contract';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors';
import { planReset, ResetPointError, summariseHistory, type ResetPlan } from './history';
import { createOperationsRecords, type CustomerFacts } from './records';
import { withOperatorErrors } from './temporal-errors';
import { CHILD_TYPES, createTemporalOps, ONBOARDING_TYPES, quote, type ExecutionRow, type PendingActivity } from './temporal-ops';

export interface Filter {
  tenantId?: string;
  /** An OnboardingStatus or a DueRequirement (e.g. PENDING_KYC, KYB, ACTIVATION). */
  step?: string;
  activityType?: string;
  limit?: number;
}

export interface StuckOnboarding extends ExecutionRow {
  lastProgressAt: Date;
  stuckForMs: number;
}

export type FailedOnboarding =
  | { kind: 'WORKFLOW_FAILED'; execution: ExecutionRow }
  | { kind: 'ACTIVITY_RETRYING'; execution: ExecutionRow; activity: PendingActivity };

export interface TimelineEntry {
  at: Date;
  source: 'status' | 'workflow' | 'email' | 'sms' | 'kyc' | 'kyb';
  event: string;
  detail: string;
}

export interface Timeline {
  customer: CustomerFacts;
  workflows: ExecutionRow[];
  entries: TimelineEntry[];
}

export interface ResetOutcome extends ResetPlan {
  workflowId: string;
  runId: string;
  dryRun: boolean;
  newRunId?: string;
}

/**
 * Activities an operator may complete in the worker's place. Only those whose result the workflow ignores: the
 * customer's notices (reminder, KYC outcome, welcome, expiry), which go out beside the lifecycle. Skipping one means
 * the customer does not get that e-mail. Everything else feeds the onboarding's next step and is refused.
 */
export const SKIPPABLE_ACTIVITIES: Record<string, string> = {
  sendCustomerEmail: 'a notice beside the lifecycle; its result is ignored',
};

const DEFAULT_LIMIT = 200;

export function createOperationsService({ db, temporal, taskQueue, namespace }: { db: Knex; temporal: Client; taskQueue: string; namespace: string }) {
  const records = createOperationsRecords(db);
  const ops = createTemporalOps(temporal, { taskQueue, namespace, identity: 'onboarding-ops' });

  const scope = (filter: Filter) => (filter.tenantId ? [`TenantId = ${quote(filter.tenantId)}`] : []);
  const byStep = (step?: string) => (step ? [`(OnboardingStatus = ${quote(step)} OR DueRequirement = ${quote(step)})`] : []);

  /** Last progress per execution: the customer's last status change, else when the run started. */
  async function withProgress(rows: ExecutionRow[]): Promise<StuckOnboarding[]> {
    const byTenant = new Map<string, string[]>();
    for (const row of rows) if (row.tenantId && row.customerId) byTenant.set(row.tenantId, [...(byTenant.get(row.tenantId) ?? []), row.customerId]);
    const changes = new Map<string, Date>();
    for (const [tenantId, ids] of byTenant) for (const [id, at] of await records.lastStatusChanges(tenantId, ids)) changes.set(`${tenantId}/${id}`, at);
    const now = Date.now();
    return rows.map((row) => {
      const lastProgressAt = changes.get(`${row.tenantId}/${row.customerId}`) ?? row.startedAt;
      return { ...row, lastProgressAt, stuckForMs: now - lastProgressAt.getTime() };
    });
  }

  async function retrying(filter: Filter): Promise<FailedOnboarding[]> {
    const running = await ops.list([`ExecutionStatus = "Running"`, ...scope(filter)], [...ONBOARDING_TYPES, ...CHILD_TYPES], filter.limit ?? DEFAULT_LIMIT);
    const found: FailedOnboarding[] = [];
    for (const execution of running) {
      for (const activity of await ops.pendingActivities(execution.workflowId, execution.runId)) {
        if (activity.attempt > 1 && (!filter.activityType || activity.activityType === filter.activityType)) found.push({ kind: 'ACTIVITY_RETRYING', execution, activity });
      }
    }
    return found;
  }

  /** The customer's running executions (the onboarding and its checks), each with its pending activities. */
  async function pendingOf(tenantId: string, customerId: string): Promise<PendingActivity[]> {
    const running = await ops.list([`TenantId = ${quote(tenantId)}`, `CustomerId = ${quote(customerId)}`, `ExecutionStatus = "Running"`], [...ONBOARDING_TYPES, ...CHILD_TYPES], 50);
    return (await Promise.all(running.map((row) => ops.pendingActivities(row.workflowId, row.runId)))).flat();
  }

  function pick(pending: PendingActivity[], activityId?: string): PendingActivity[] {
    if (activityId) {
      const chosen = pending.filter((activity) => activity.activityId === activityId);
      if (chosen.length === 0) throw new NotFoundError(`No pending activity ${activityId} on this onboarding`);
      return chosen;
    }
    return pending.filter((activity) => activity.attempt > 1 || activity.paused);
  }

  const service = withOperatorErrors({
    /** Running onboardings whose customer's status has not changed for `forMs`, optionally at one step or tenant. */
    async stuck(forMs: number, filter: Filter = {}): Promise<StuckOnboarding[]> {
      const since = new Date(Date.now() - forMs).toISOString();
      const rows = await ops.list([`ExecutionStatus = "Running"`, `StartTime < ${quote(since)}`, ...scope(filter), ...byStep(filter.step)], ONBOARDING_TYPES, filter.limit ?? DEFAULT_LIMIT);
      return (await withProgress(rows)).filter((row) => row.stuckForMs >= forMs).sort((a, b) => b.stuckForMs - a.stuckForMs);
    },

    /** Runs that ended failed, terminated or timed out, and running ones with an activity past its first attempt. */
    async failed(filter: Filter = {}): Promise<FailedOnboarding[]> {
      const closed = await ops.list(
        [`ExecutionStatus IN ("Failed", "Terminated", "TimedOut")`, ...scope(filter), ...byStep(filter.step)],
        [...ONBOARDING_TYPES, ...CHILD_TYPES],
        filter.limit ?? DEFAULT_LIMIT,
      );
      const failedRuns: FailedOnboarding[] = closed.map((execution) => ({ kind: 'WORKFLOW_FAILED', execution }));
      return [...failedRuns, ...(await retrying(filter))];
    },

    /** Onboardings waiting on a staff decision (MANUAL_REVIEW), longest waiting first. */
    async waiting(filter: Filter = {}): Promise<StuckOnboarding[]> {
      const rows = await ops.list(
        [`ExecutionStatus = "Running"`, `(OnboardingStatus = "MANUAL_REVIEW" OR KybStatus = "MANUAL_REVIEW")`, ...scope(filter)],
        ONBOARDING_TYPES,
        filter.limit ?? DEFAULT_LIMIT,
      );
      return (await withProgress(rows)).sort((a, b) => b.stuckForMs - a.stuckForMs);
    },

    /** Status history, workflow events (every run of the onboarding and its checks), e-mails, SMS and checks, in time order. */
    async timeline(customerId: string, tenantId?: string): Promise<Timeline> {
      const customer = await records.customer(customerId, tenantId);
      const workflows = await ops.list([`TenantId = ${quote(customer.tenantId)}`, `CustomerId = ${quote(customerId)}`], [...ONBOARDING_TYPES, ...CHILD_TYPES], 100);
      const workflowLines = await Promise.all(
        workflows.map(async (row) => summariseHistory(await ops.history(row.workflowId, row.runId)).map((event) => ({ ...event, workflowId: row.workflowId }))),
      );
      const entries: TimelineEntry[] = [
        ...(await records.lines(customer.tenantId, customerId)),
        ...workflowLines.flat().map(({ at, event, detail, workflowId, eventId }) => ({
          at,
          source: 'workflow' as const,
          event,
          detail: [detail, workflowId === onboardingWorkflowId(customer.tenantId, customerId) ? '' : `in ${workflowId}`, `#${eventId}`].filter(Boolean).join(' '),
        })),
      ].sort((a, b) => a.at.getTime() - b.at.getTime());
      return { customer, workflows: workflows.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime()), entries };
    },

    /**
     * Resets the onboarding's current run to its last good point (or `eventId`), saying first what will run again.
     * `dryRun` only plans. The reason names the operator: Temporal keeps it on the new run.
     */
    async reset(customerId: string, options: { tenantId?: string; dryRun: boolean; reason: string; actor: string; eventId?: number; workflowId?: string }): Promise<ResetOutcome> {
      const customer = await records.customer(customerId, options.tenantId);
      const workflowId = options.workflowId ?? onboardingWorkflowId(customer.tenantId, customerId);
      if (!workflowId.startsWith(onboardingWorkflowId(customer.tenantId, customerId))) throw new ValidationError([{ field: 'workflowId', message: "Must be this customer's onboarding or one of its checks" }]);
      const description = await temporal.workflow.getHandle(workflowId).describe();
      const runId = description.runId;
      const events = await ops.history(workflowId, runId);
      const pending = description.status.name === 'RUNNING' ? (await ops.pendingActivities(workflowId, runId)).filter((a) => a.attempt > 1) : [];
      const retryingScheduledEventId = pending.length ? scheduledEventOf(events, pending[0].activityId) : undefined;
      let plan: ResetPlan;
      try {
        plan = planReset(events, { chosenEventId: options.eventId, retryingScheduledEventId });
      } catch (error) {
        if (error instanceof ResetPointError) throw new ConflictError(error.message);
        throw error;
      }
      if (options.dryRun) return { workflowId, runId, dryRun: true, ...plan };
      const newRunId = await ops.reset(workflowId, runId, plan.resetEventId, `${options.reason} (by ${options.actor})`);
      return { workflowId, runId, dryRun: false, newRunId, ...plan };
    },

    /** "Retry now" for the customer's retrying or paused (or chosen) activities; answers which ones. A paused one resumes. */
    async retryActivity(customerId: string, options: { tenantId?: string; activityId?: string; dryRun?: boolean }): Promise<PendingActivity[]> {
      const customer = await records.customer(customerId, options.tenantId);
      const chosen = pick(await pendingOf(customer.tenantId, customerId), options.activityId);
      if (!options.dryRun) for (const activity of chosen) await ops.retryActivity(activity.workflowId, activity.activityId);
      return chosen;
    },

    /**
     * Stops the retries of the customer's retrying (or chosen) activities until a retry: while a known fault (a
     * provider down) is being fixed, attempts would only fail, and the back-off after the fix could be long.
     */
    async pauseActivity(customerId: string, options: { tenantId?: string; activityId?: string; reason: string; actor: string }): Promise<PendingActivity[]> {
      const customer = await records.customer(customerId, options.tenantId);
      const chosen = pick(await pendingOf(customer.tenantId, customerId), options.activityId).filter((activity) => !activity.paused);
      for (const activity of chosen) await ops.pauseActivity(activity.workflowId, activity.activityId, `${options.reason} (by ${options.actor})`);
      return chosen;
    },

    /** Completes one pending activity in the worker's place, only if it is on the SKIPPABLE_ACTIVITIES list. */
    async skipActivity(customerId: string, options: { tenantId?: string; activityId: string; dryRun?: boolean }): Promise<PendingActivity> {
      const customer = await records.customer(customerId, options.tenantId);
      const [activity] = pick(await pendingOf(customer.tenantId, customerId), options.activityId);
      if (!(activity.activityType in SKIPPABLE_ACTIVITIES)) {
        throw new ConflictError(`${activity.activityType} may not be skipped: the onboarding uses its result (skippable: ${Object.keys(SKIPPABLE_ACTIVITIES).join(', ')}); retry it once the cause is fixed`);
      }
      if (!options.dryRun) await ops.completeActivity(activity.workflowId, activity.activityId, null);
      return activity;
    },

    /** Retry (every retrying activity) or reset (every failed run) for a filter, one at a time, reporting progress. */
    async batch(
      action: 'retry' | 'reset',
      filter: Filter,
      options: { dryRun: boolean; reason: string; actor: string; onProgress?: (done: number, total: number) => void },
    ): Promise<{ customerId: string; workflowId: string; outcome: string }[]> {
      const targets = (await service.failed(filter)).filter((item) => (action === 'retry' ? item.kind === 'ACTIVITY_RETRYING' : item.kind === 'WORKFLOW_FAILED'));
      const results: { customerId: string; workflowId: string; outcome: string }[] = [];
      options.onProgress?.(0, targets.length);
      for (const item of targets) {
        const customerId = item.execution.customerId ?? '';
        let outcome: string;
        try {
          if (item.kind === 'ACTIVITY_RETRYING') {
            if (!options.dryRun) await ops.retryActivity(item.activity.workflowId, item.activity.activityId);
            outcome = `${options.dryRun ? 'would retry' : 'retried'} ${item.activity.activityType} (attempt ${item.activity.attempt})`;
          } else {
            const reset = await service.reset(customerId, { tenantId: item.execution.tenantId, dryRun: options.dryRun, reason: options.reason, actor: options.actor, workflowId: item.execution.workflowId });
            outcome = `${options.dryRun ? 'would reset' : 'reset'} to event ${reset.resetEventId}; runs again: ${reset.activitiesRunAgain.join(', ') || 'no activity'}`;
          }
        } catch (error) {
          outcome = `not done: ${(error as Error).message}`;
        }
        results.push({ customerId, workflowId: item.execution.workflowId, outcome });
        options.onProgress?.(results.length, targets.length);
      }
      return results;
    },
  });
  return service;
}

function scheduledEventOf(events: Awaited<ReturnType<ReturnType<typeof createTemporalOps>['history']>>, activityId: string): number | undefined {
  const scheduled = events.find((event) => event.activityTaskScheduledEventAttributes?.activityId === activityId);
  return scheduled ? Number(scheduled.eventId) : undefined;
}

export type OperationsService = ReturnType<typeof createOperationsService>;
