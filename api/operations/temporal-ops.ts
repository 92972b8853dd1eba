/**
 * The operator's view of Temporal: onboardings found through visibility (the search attributes of
 * common/search-attributes.ts), their pending activities with the last failure decoded, histories, resets and the
 * server's activity operations (reset = "retry now", complete = skip). Every query is pinned to the product's task
 * queue and workflow types, so another application in the namespace is never listed or touched.
 */
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { BUSINESS_VERIFICATION_WORKFLOW } from '../../common/kyb-contract';
import { IDENTITY_VERIFICATION_WORKFLOW } from '../../common/identity-contract';
import { INDIVIDUAL_ONBOARDING_WORKFLOW } from '../../common/onboarding-contract';
import { ORGANIZATION_ONBOARDING_WORKFLOW } from '../../common/organization-contract';
import { CustomerIdKey, CustomerTypeKey, DueRequirementKey, KybStatusKey, OnboardingStatusKey, TenantIdKey } from '../../common/search-attributes';

/** One onboarding per customer; the checks it runs as children carry the same TenantId and CustomerId. */
export const ONBOARDING_TYPES = [INDIVIDUAL_ONBOARDING_WORKFLOW, ORGANIZATION_ONBOARDING_WORKFLOW];
export const CHILD_TYPES = [IDENTITY_VERIFICATION_WORKFLOW, BUSINESS_VERIFICATION_WORKFLOW];

export interface ExecutionRow {
  workflowId: string;
  runId: string;
  type: string;
  status: string;
  tenantId?: string;
  customerId?: string;
  customerType?: string;
  onboardingStatus?: string;
  dueRequirement?: string;
  kybStatus?: string;
  startedAt: Date;
  closedAt?: Date;
}

export interface PendingActivity {
  workflowId: string;
  runId: string;
  activityId: string;
  activityType: string;
  attempt: number;
  maximumAttempts: number;
  state: string;
  paused: boolean;
  scheduledEventId?: number;
  lastFailure?: string;
  lastAttemptAt?: Date;
  nextAttemptAt?: Date;
}

/** Values in a visibility query are quoted; ours are ids and enum values, but a quote must never end the string. */
export function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '')}"`;
}

const EMAIL_SHAPED = /<?[^\s<>@]+@[^\s<>@]+>?/g;

export function createTemporalOps(client: Client, options: { taskQueue: string; namespace: string; identity: string }) {
  const service = client.workflowService;
  const { namespace } = options;

  const rowOf = (info: WorkflowExecutionInfo): ExecutionRow => {
    const attribute = <T>(key: { name: string }) => info.typedSearchAttributes.get(key as never) as T | undefined;
    return {
      workflowId: info.workflowId,
      runId: info.runId,
      type: info.type,
      status: info.status.name,
      tenantId: attribute(TenantIdKey),
      customerId: attribute(CustomerIdKey),
      customerType: attribute(CustomerTypeKey),
      onboardingStatus: attribute(OnboardingStatusKey),
      dueRequirement: attribute(DueRequirementKey),
      kybStatus: attribute(KybStatusKey),
      startedAt: info.startTime,
      closedAt: info.closeTime,
    };
  };

  async function list(clauses: string[], types: string[], limit: number): Promise<ExecutionRow[]> {
    const query = [`TaskQueue = ${quote(options.taskQueue)}`, `WorkflowType IN (${types.map(quote).join(', ')})`, ...clauses].join(' AND ');
    const rows: ExecutionRow[] = [];
    for await (const info of client.workflow.list({ query })) {
      rows.push(rowOf(info));
      if (rows.length >= limit) break;
    }
    return rows;
  }

  /**
   * A failure's message, decoded (failures are encrypted like payloads) and with anything shaped like an e-mail
   * address masked: our activities' messages carry kinds and codes, and this keeps it so if one ever quotes more.
   */
  async function failureText(failure: temporal.api.failure.v1.IFailure | null | undefined): Promise<string | undefined> {
    if (!failure) return undefined;
    const error = await decodeOptionalFailureToOptionalError(client.options.loadedDataConverter, failure);
    if (!error) return undefined;
    const cause = (error as Error & { cause?: Error }).cause;
    const innermost = cause?.message ? cause : error;
    const type = (innermost as { type?: string }).type ?? innermost.name;
    return `${type}: ${innermost.message}`.replace(EMAIL_SHAPED, '<address>').slice(0, 500);
  }

  async function pendingActivities(workflowId: string, runId?: string): Promise<PendingActivity[]> {
    const description = await client.workflow.getHandle(workflowId, runId).describe();
    const pending = description.raw.pendingActivities ?? [];
    return Promise.all(
      pending.map(async (activity) => ({
        workflowId,
        runId: description.runId,
        activityId: activity.activityId ?? '',
        activityType: activity.activityType?.name ?? '',
        attempt: activity.attempt ?? 1,
        maximumAttempts: activity.maximumAttempts ?? 0,
        state: String(activity.state ?? ''),
        paused: Boolean(activity.paused),
        lastFailure: await failureText(activity.lastFailure),
        lastAttemptAt: optionalTsToDate(activity.lastAttemptCompleteTime) ?? optionalTsToDate(activity.lastStartedTime),
        nextAttemptAt: optionalTsToDate(activity.nextAttemptScheduleTime),
      })),
    );
  }

  return {
    list,
    pendingActivities,

    async history(workflowId: string, runId?: string): Promise<temporal.api.history.v1.IHistoryEvent[]> {
      return (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    },

    /** Goes back to a completed workflow task; the server starts a new run from it and returns its id. */
    async reset(workflowId: string, runId: string, resetEventId: number, reason: string): Promise<string> {
      // fromObject turns the event id into the int64 the proto wants (a Long) without importing long ourselves.
      const request = temporal.api.workflowservice.v1.ResetWorkflowExecutionRequest.fromObject({
        namespace,
        workflowExecution: { workflowId, runId },
        workflowTaskFinishEventId: resetEventId,
        reason,
        requestId: randomUUID(),
      });
      const answer: temporal.api.workflowservice.v1.IResetWorkflowExecutionResponse = await service.resetWorkflowExecution(request);
      return answer.runId ?? '';
    },

    /**
     * "Retry now": the server's ResetActivity puts the attempt back to 1 and, when the activity is waiting for its
     * next retry, schedules it at once (a running attempt is reset when it ends). A paused activity is unpaused.
     */
    async retryActivity(workflowId: string, activityId: string): Promise<void> {
      await service.resetActivity({ namespace, execution: { workflowId }, identity: options.identity, id: activityId, resetHeartbeat: true });
    },

    /** Completes the activity on the worker's behalf with `result` (used only for activities whose result is ignored). */
    async completeActivity(workflowId: string, activityId: string, result: unknown): Promise<void> {
      await client.activity.complete({ workflowId, activityId }, result);
    },

    /** Stops retries until unpaused (e.g. while a provider is known to be down). */
    async pauseActivity(workflowId: string, activityId: string, reason: string): Promise<void> {
      await service.pauseActivity({ namespace, execution: { workflowId }, identity: options.identity, id: activityId, reason });
    },

    async unpauseActivity(workflowId: string, activityId: string): Promise<void> {
      await service.unpauseActivity({ namespace, execution: { workflowId }, identity: options.identity, id: activityId, resetAttempts: false });
    },
  };
}

export type TemporalOps = ReturnType<typeof createTemporalOps>;
