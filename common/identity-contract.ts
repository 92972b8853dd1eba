/**
 * The contract of the identity-verification child workflow: one execution per subject (an individual customer,
 * or a person around an organization) of one onboarding customer. Its parent starts it, the KYC callback route
 * and staff reach it by its id, and the tenant's details route wakes it. Safe to import from workflow code.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { KycDecision, KycResult } from './onboarding-contract';
import type { OnboardingPolicy } from './onboarding-policy';

export const IDENTITY_VERIFICATION_WORKFLOW = 'identityVerification';

/** Whose identity: the onboarding customer itself, or a party of an organization (helper "parties"' rows). */
export const SUBJECT_KINDS = ['CUSTOMER', 'PARTY'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** The role the subject plays in the onboarding; carried by the SubjectType search attribute. */
export const SUBJECT_ROLES = ['INDIVIDUAL', 'DIRECTOR', 'SHAREHOLDER', 'UBO', 'REPRESENTATIVE'] as const;
export type SubjectRole = (typeof SUBJECT_ROLES)[number];

export interface SubjectRef {
  type: SubjectKind;
  id: string;
}

/** One child per subject of an onboarding: the business key is the workflow id. */
export function identityVerificationWorkflowId(tenantId: string, customerId: string, subjectId: string): string {
  return `onboarding/${tenantId}/${customerId}/person/${subjectId}`;
}

/** The waits of one check, taken from the tenant's onboarding policy when the parent starts the child. */
export type IdentityPolicy = Pick<OnboardingPolicy, 'reminderAfter' | 'expireAfter' | 'kycResultTimeout' | 'kycFirstPollAfter'>;

export interface IdentityVerificationInput {
  tenantId: string;
  /** The onboarding customer: the individual, or the organization the person belongs to. */
  customerId: string;
  subject: SubjectRef;
  role: SubjectRole;
  policy: IdentityPolicy;
  /** The verification's id, when the parent must name it before the check opens (the individual answers it at once). */
  verificationId?: string;
  /**
   * Signal the parent (`identityInReviewSignal`) when the check goes to manual review: the individual's onboarding
   * shows MANUAL_REVIEW and e-mails the customer then, not only when the check ends. Absent for an organization's
   * persons, whose parent waits for every outcome.
   */
  reportReviewToParent?: boolean;
  /**
   * Set by the individual's onboarding, which has already opened the verification row (naming this child) and whose
   * subject's details are complete (its profile step is done): the child neither looks the details up nor opens the
   * row again, so the KYC step costs only the child's start and completion on top of the check itself.
   */
  prepared?: true;
}

/**
 * Where the check stands. AWAITING_DETAILS: the person was invited to supply what the provider needs. The KYC
 * statuses follow kyc_verifications; EXPIRED: the details never came.
 */
export type IdentityStatus = 'STARTED' | 'AWAITING_DETAILS' | 'IN_PROGRESS' | 'MANUAL_REVIEW' | 'APPROVED' | 'REJECTED' | 'EXPIRED';

export interface IdentitySnapshot {
  subject: SubjectRef;
  role: SubjectRole;
  status: IdentityStatus;
  verificationId?: string;
  /** Why the check ended or went to manual review (provider reason, staff note, timeout). */
  reason?: string;
  reviewer?: string;
  /** Fields the provider still needs from the person while AWAITING_DETAILS (names only, never values). */
  missing: string[];
  invitationsSent: number;
}

/** What the parent gets back. */
export interface IdentityOutcome {
  subject: SubjectRef;
  role: SubjectRole;
  status: 'APPROVED' | 'REJECTED' | 'EXPIRED';
  verificationId?: string;
  reason?: string;
  reviewer?: string;
}

/** Failure types the API maps to documented errors. */
export const IdentityFailure = {
  /** The action does not fit the check's current status; details: [status]. */
  InvalidState: 'IdentityInvalidState',
} as const;

/** The provider's decision, delivered by the callback route: the same signal (name and shape) as the individual's. */
export const identityKycResultSignal = defineSignal<[KycResult]>('kycResult');
/** A compliance decision on a check in MANUAL_REVIEW. */
export const decideIdentityUpdate = defineUpdate<IdentitySnapshot, [KycDecision]>('decideIdentity');
/** The person's details were stored (they travel through the database, never through this update). */
export const identityDetailsUpdate = defineUpdate<IdentitySnapshot>('identityDetailsSupplied');
/** Child → parent: the check went to manual review (sent only when `reportReviewToParent`). */
export const identityInReviewSignal = defineSignal<[{ verificationId: string; reason: string }]>('identityInReview');
export const identitySnapshotQuery = defineQuery<IdentitySnapshot>('identitySnapshot');
