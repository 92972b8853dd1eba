/**
 * The contract between the API and the organization onboarding workflow. The actions an organization shares with
 * an individual (e-mail verification of its representative, consents, activation, the snapshot) use the same
 * update and query names as common/onboarding-contract.ts, so the v2.1 onboarding routes reach either workflow
 * alike; they are redefined here only because an organization answers them with its own snapshot.
 * Safe to import from workflow code.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { LifecycleStatus, Requirements } from './lifecycle';
import type { ConsentGiven } from './onboarding-contract';
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
}

export type OrganizationOnboardingStatus = OrganizationStatus | 'REGISTERING' | 'REGISTRATION_FAILED';

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
}

export interface ReviewDecision {
  decision: 'APPROVE' | 'REJECT';
  reason: string;
  reviewer: string;
}

/** Failure type of a registration the database refused: the same registration number in the same country. */
export const OrganizationAlreadyExists = 'OrganizationAlreadyExists';

export const registerOrganizationUpdate = defineUpdate<OrganizationReceipt, [OrganizationRegistration]>('registerOrganization');
export const startKybUpdate = defineUpdate<{ organizationId: string; kybStatus: KybStatus }>('startKyb');
export const decideReviewUpdate = defineUpdate<OrganizationSnapshot, [ReviewDecision]>('decideReview');
export const organizationEmailVerifiedUpdate = defineUpdate<OrganizationSnapshot>('emailVerified');
export const organizationResendEmailCodeUpdate = defineUpdate<{ sent: true }>('resendEmailCode');
export const organizationGiveConsentUpdate = defineUpdate<OrganizationSnapshot, [ConsentGiven]>('giveConsent');
export const organizationActivateUpdate = defineUpdate<OrganizationSnapshot>('activate');
export const organizationSnapshotQuery = defineQuery<OrganizationSnapshot>('snapshot');
