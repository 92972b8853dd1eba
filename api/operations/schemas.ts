/** Request and response schemas of the operations routes (api/operations/routes.ts). */
import { msToNumber } from '@temporalio/common/lib/time';
import { z } from '../http/openapi';
import { subjectId, tenantId } from '../schemas/params';

/** "90s", "30m", "2h", "3d": how long without progress counts as stuck. */
export const duration = z
  .string()
  .regex(/^[1-9][0-9]{0,6}(s|m|h|d)$/, 'Must be a number and a unit: s, m, h or d (e.g. 2h)')
  .transform((value) => msToNumber(value as `${number}${'s' | 'm' | 'h' | 'd'}`));

/** A step as the search attributes name it: an OnboardingStatus or a DueRequirement (DOCUMENT:… included). */
const step = z.string().regex(/^[A-Z][A-Z_]{1,40}(:[A-Za-z0-9_-]{1,60})?$/, 'Must be a status or requirement such as PENDING_KYC or KYB');
const activityType = z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,80}$/, 'Must be an activity type such as sendVerificationEmail');
const limit = z.coerce.number().int().min(1).max(1000).default(200);

export const listQuery = z.strictObject({ tenantId: tenantId.optional(), step: step.optional(), limit });
export const stuckQuery = listQuery.extend({ for: duration.default(2 * 3600_000).openapi({ type: 'string', example: '2h' }) });
export const failedQuery = listQuery.extend({ activityType: activityType.optional() });
export const customerParams = z.object({ customerId: subjectId });

export const resetBody = z.strictObject({
  dryRun: z.boolean().default(true),
  reason: z.string().trim().min(3, 'Say why (it is kept on the new run)').max(500),
  eventId: z.number().int().min(1).optional().openapi({ description: 'A WORKFLOW_TASK_COMPLETED event id; default: the last good point' }),
});
export const activityBody = z.strictObject({
  customerId: subjectId,
  activityId: z.string().trim().min(1).max(100).optional().openapi({ description: 'Default: every activity of the onboarding past its first attempt' }),
  dryRun: z.boolean().default(false),
});
export const pauseBody = z.strictObject({
  customerId: subjectId,
  activityId: z.string().trim().min(1).max(100).optional(),
  reason: z.string().trim().min(3, 'Say why (Temporal keeps it on the activity)').max(500),
});
export const skipBody = activityBody.extend({ activityId: z.string().trim().min(1).max(100) });
export const batchBody = z.strictObject({
  action: z.enum(['retry', 'reset']),
  tenantId: tenantId.optional(),
  step: step.optional(),
  activityType: activityType.optional(),
  dryRun: z.boolean().default(true),
  reason: z.string().trim().min(3).max(500).default('batch from the operations API'),
});

const execution = z.object({
  workflowId: z.string(),
  runId: z.string(),
  type: z.string(),
  status: z.string(),
  tenantId: z.string().optional(),
  customerId: z.string().optional(),
  customerType: z.string().optional(),
  onboardingStatus: z.string().optional(),
  dueRequirement: z.string().optional(),
  kybStatus: z.string().optional(),
  startedAt: z.date(),
  closedAt: z.date().optional(),
});
const pendingActivity = z.object({
  workflowId: z.string(),
  activityId: z.string(),
  activityType: z.string(),
  attempt: z.number().int(),
  maximumAttempts: z.number().int().openapi({ description: '0: unlimited' }),
  paused: z.boolean(),
  lastFailure: z.string().optional().openapi({ description: 'The failure type and our message (no personal data)' }),
  lastAttemptAt: z.date().optional(),
  nextAttemptAt: z.date().optional(),
});

export const stuckPage = z.object({ data: z.array(execution.extend({ lastProgressAt: z.date(), stuckForMs: z.number() })) }).openapi('StuckOnboardings');
export const failedPage = z
  .object({ data: z.array(z.object({ kind: z.enum(['WORKFLOW_FAILED', 'ACTIVITY_RETRYING']), execution, activity: pendingActivity.optional() })) })
  .openapi('FailedOnboardings');
export const timelineBody = z
  .object({
    customer: z.object({ tenantId: z.string(), customerId: z.string(), customerType: z.string(), status: z.string(), createdAt: z.date() }),
    workflows: z.array(execution),
    entries: z.array(z.object({ at: z.date(), source: z.enum(['status', 'workflow', 'email', 'sms', 'kyc', 'kyb']), event: z.string(), detail: z.string() })),
  })
  .openapi('OnboardingTimeline');
export const resetAnswer = z
  .object({
    workflowId: z.string(),
    runId: z.string(),
    dryRun: z.boolean(),
    newRunId: z.string().optional(),
    resetEventId: z.number().int(),
    basis: z.string(),
    activitiesRunAgain: z.array(z.string()),
    signalsReapplied: z.array(z.string()),
  })
  .openapi('ResetPlan');
export const activitiesAnswer = z.object({ dryRun: z.boolean(), data: z.array(pendingActivity) });
export const batchAnswer = z.object({ dryRun: z.boolean(), data: z.array(z.object({ customerId: z.string(), workflowId: z.string(), outcome: z.string() })) });
export const evidenceBody = z
  .object({
    exportedAt: z.string(),
    exportedBy: z.string().openapi({ description: 'The staff member (or CLI user) who exported it' }),
    customer: z.object({ tenantId: z.string(), customerId: z.string(), customerType: z.string(), status: z.string(), createdAt: z.string() }),
    workflows: z.array(z.object({ workflowId: z.string(), runId: z.string(), type: z.string(), status: z.string(), startedAt: z.string(), closedAt: z.string().nullable() })),
    entries: z.array(z.object({ at: z.string(), source: z.string(), event: z.string(), detail: z.string() })),
  })
  .openapi('ComplianceEvidence');
