/**
 * What the API answers, as the app reads it. The review shapes come from the API's own zod schemas
 * (api/review/schemas.ts) as types only: `import type` is erased by esbuild, so no zod reaches the bundle.
 * The operations answers carry Date objects server side, which arrive as ISO strings: they are restated here.
 */
import type { z } from 'zod';
import type {
  awaitingSecondReview,
  caseViewSchema,
  claimSchema,
  ownershipSchema,
  proposalSchema,
  queueItemSchema,
  queuePage,
} from '../../../api/review/schemas';

export type CaseType = 'INDIVIDUAL' | 'ORGANIZATION' | 'DOCUMENT' | 'PERSON';
export type QueueItem = z.output<typeof queueItemSchema>;
export type QueuePage = z.output<typeof queuePage>;
export type CaseView = z.output<typeof caseViewSchema>;
export type CaseDocument = CaseView['documents'][number];
export type Claim = z.output<typeof claimSchema>;
export type Proposal = z.output<typeof proposalSchema>;
export type Ownership = z.output<typeof ownershipSchema>;
export type AwaitingSecondReview = z.output<typeof awaitingSecondReview>;

export type StaffRole = 'PLATFORM_ADMIN' | 'COMPLIANCE_OFFICER' | 'OPERATOR' | 'AUDITOR' | 'TENANT_ADMIN';

/** `GET /api/v2.1/staff/auth/session`. */
export interface StaffSession {
  staff: { staffId: string; email: string; roles: StaffRole[]; tenantId?: string; status: string };
  csrfToken: string | null;
  expiresAt: string;
}

export interface Execution {
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
  startedAt: string;
  closedAt?: string;
}

export interface StuckOnboarding extends Execution {
  lastProgressAt: string;
  stuckForMs: number;
}

export interface PendingActivity {
  workflowId: string;
  activityId: string;
  activityType: string;
  attempt: number;
  maximumAttempts: number;
  paused: boolean;
  lastFailure?: string;
  lastAttemptAt?: string;
  nextAttemptAt?: string;
}

export interface FailedOnboarding {
  kind: 'WORKFLOW_FAILED' | 'ACTIVITY_RETRYING';
  execution: Execution;
  activity?: PendingActivity;
}

/** `POST /api/v2.1/admin/operations/onboardings/{customerId}/reset` (the dry run says what will run again). */
export interface ResetPlan {
  workflowId: string;
  runId: string;
  dryRun: boolean;
  newRunId?: string;
  resetEventId: number;
  basis: string;
  activitiesRunAgain: string[];
  signalsReapplied: string[];
}
