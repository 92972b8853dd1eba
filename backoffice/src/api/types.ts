/**
 * What the API answers, as the app reads it. The review shapes come from the API's own zod schemas
 * (api/review/schemas.ts) as types only: `import type` is erased by esbuild, so no zod reaches the bundle.
 * The operations answers carry Date objects server side, which arrive as ISO strings (`OverJson`).
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
import type { failedPage, resetAnswer, stuckPage } from '../../../api/operations/schemas';

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

/** A server type as it arrives over JSON: its Date fields are ISO strings. */
type OverJson<T> = T extends Date ? string : T extends Array<infer Item> ? Array<OverJson<Item>> : T extends object ? { [K in keyof T]: OverJson<T[K]> } : T;

/** `GET /api/v2.1/admin/operations/stuck`. */
export type StuckOnboarding = OverJson<z.output<typeof stuckPage>>['data'][number];
/** `GET /api/v2.1/admin/operations/failed`. */
export type FailedOnboarding = OverJson<z.output<typeof failedPage>>['data'][number];
export type Execution = FailedOnboarding['execution'];
export type PendingActivity = NonNullable<FailedOnboarding['activity']>;
/** `POST /api/v2.1/admin/operations/onboardings/{customerId}/reset` (the dry run says what will run again). */
export type ResetPlan = z.output<typeof resetAnswer>;
