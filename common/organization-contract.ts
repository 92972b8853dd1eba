/**
 * The contract between the API and the organization onboarding workflow. The actions an organization shares with
 * an individual (e-mail verification of its representative, consents, activation, the snapshot) use the same
 * update and query names as common/onboarding-contract.ts, so the v2.1 onboarding routes reach either workflow
 * alike; they are redefined here only because an organization answers them with its own snapshot.
 * Safe to import from workflow code.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { LifecycleStatus, RequirementError, Requirements } from './lifecycle';
import type { ConsentGiven, OnboardingInput } from './onboarding-contract';
import type { ConsentType } from './onboarding-policy';
import type { KybStatus, OrganizationStatus } from './statuses';

export const ORGANIZATION_ONBOARDING_WORKFLOW = 'organizationOnboarding';

/** The business as the tenant registered it. Stored in organization_profiles; travels encrypted like all payloads. */
export interface OrganizationDetails {
  businessName: string;
  businessType: string;
  registrationNumber: string;
  countryOfIncorporation: string;
  dateOfIncorporation: string;
  industryType: string;
  contactEmail: string;
  contactPhone: string;
}

/** Who acts for the organization: the person columns of its customers row, and the address its codes go to. */
export interface Representative {
  firstName: string;
  lastName: string;
  email: string;
  phone?: string;
}

export interface OrganizationRegistration {
  organization: OrganizationDetails;
  representative: Representative;
  /** The category the tenant's rules gave at registration (a code); absent: none, or registered before categories. */
  category?: string;
}

export type OrganizationOnboardingStatus = OrganizationStatus | 'REGISTERING' | 'REGISTRATION_FAILED';

/**
 * The organization's steps, in order (the step engine's statuses). Every step before MANUAL_REVIEW belongs to the
 * organization status ONBOARDING; the API answers the organization status, and `step` for who wants the detail.
 */
export const ORGANIZATION_STEPS = [
  'REGISTERING',
  'EMAIL_VERIFICATION',
  'CONSENTS',
  'PEOPLE_AND_DOCUMENTS',
  'VERIFYING',
  'MANUAL_REVIEW',
  'APPROVED',
  'ACTIVE',
  'REJECTED',
  'EXPIRED',
  'REGISTRATION_FAILED',
] as const;
export type OrganizationStep = (typeof ORGANIZATION_STEPS)[number];

/** Why a person must be verified (the people service's verificationSubjects). */
export type VerificationReason = 'REPRESENTATIVE' | 'DIRECTOR' | 'UBO';

/** One person the organization's KYB verifies, by id only; `status` follows its identity-verification child. */
export interface PersonVerification {
  partyId: string;
  reasons: VerificationReason[];
  status: 'PENDING' | 'APPROVED' | 'REJECTED' | 'EXPIRED';
}

/** What one run of an organization's onboarding hands the next when it continues as new. */
export interface CarriedOrganization {
  step: OrganizationStep;
  kybStatus: KybStatus;
  emailVerified: boolean;
  consents: ConsentType[];
  verificationEmailSent: boolean;
  lastCodeSentAt: number;
  codesSent: number;
  recentCodeSends: number[];
  reminders: number;
  lastProgressAt: number;
  dueRequirement?: string | null;
  /** The requirements last recorded as a webhook event; absent in runs carried before those events existed. */
  publishedRequirements?: Requirements;
  persons: PersonVerification[];
  errors: RequirementError[];
}

export interface OrganizationOnboardingInput extends Omit<OnboardingInput, 'carried'> {
  carried?: CarriedOrganization;
}

export interface OrganizationReceipt {
  organizationId: string;
  status: OrganizationStatus;
  kybStatus: KybStatus;
  createdAt: string;
}

export interface OrganizationSnapshot {
  /** The same key individuals answer with, so the shared routes read either snapshot. */
  customerId: string;
  status: OrganizationOnboardingStatus;
  lifecycleStatus: LifecycleStatus;
  requirements: Requirements;
  kybStatus: KybStatus;
  /** currentlyDue then pendingVerification: what the shared routes call `due`. */
  due: string[];
  verificationEmailSent: boolean;
  consents: ConsentType[];
  /** The step the onboarding is at (finer than `status`). */
  step: OrganizationStep;
  /** The persons verified for KYB, once it has started (ids, reasons, outcome; never personal data). */
  persons: PersonVerification[];
}

/** Staff's decision; `reviewer` is the session's staff member (`staff:<id>`), never a name the request body gave. */
export interface ReviewDecision {
  decision: 'APPROVE' | 'REJECT';
  reason: string;
  reviewer: string;
}

/** Failure type of a registration the database refused: the same registration number in the same country. */
export const OrganizationAlreadyExists = 'OrganizationAlreadyExists';

export const registerOrganizationUpdate = defineUpdate<OrganizationReceipt, [OrganizationRegistration]>('registerOrganization');
export const startKybUpdate = defineUpdate<{ organizationId: string; kybStatus: KybStatus }>('startKyb');
/** Who is verified for KYB, chosen when it starts (ids only: personal data stays in organization_parties). */
export interface KybStart {
  /** Requirements the tables say are still due (people, ownership, documents): when any, nothing was written. */
  due: string[];
  persons: Array<{ partyId: string; reasons: VerificationReason[] }>;
}
export const decideReviewUpdate = defineUpdate<OrganizationSnapshot, [ReviewDecision]>('decideReview');
export const organizationEmailVerifiedUpdate = defineUpdate<OrganizationSnapshot>('emailVerified');
export const organizationResendEmailCodeUpdate = defineUpdate<{ sent: true }>('resendEmailCode');
export const organizationGiveConsentUpdate = defineUpdate<OrganizationSnapshot, [ConsentGiven]>('giveConsent');
export const organizationActivateUpdate = defineUpdate<OrganizationSnapshot>('activate');
export const organizationSnapshotQuery = defineQuery<OrganizationSnapshot>('snapshot');
