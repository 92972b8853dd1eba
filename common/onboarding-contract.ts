/**
 * The contract between the API and the onboarding workflows: workflow names and ids, the messages a workflow
 * accepts (updates, signals, queries) and the shapes they carry. Safe to import from workflow code.
 */
import type { Duration } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { LifecycleStatus, Requirements } from './lifecycle';
import type { ConsentType, OnboardingPolicy } from './onboarding-policy';
import type { CustomerStatus } from './statuses';

export const INDIVIDUAL_ONBOARDING_WORKFLOW = 'individualOnboarding';

/** One workflow per customer: the business key is the workflow id. */
export function onboardingWorkflowId(tenantId: string, customerId: string): string {
  return `onboarding/${tenantId}/${customerId}`;
}

export interface OnboardingInput {
  tenantId: string;
  customerId: string;
  /** The tenant's name when the onboarding started, for the Temporal UI's labels of its children (not PII). */
  tenantName?: string;
  /** The tenant's rules when the onboarding started; absent in executions started before policies existed. */
  policy?: OnboardingPolicy;
  /** Executions started before policies existed: how long to wait without progress before expiring. */
  expireAfter?: Duration;
  /** Set when a run continues as new: the state the previous run reached (no registration is awaited). */
  carried?: CarriedState;
  /** History length past which the run continues as new (default 10,000 events; tests set it small). */
  continueAsNewAfterEvents?: number;
}

/** What one run of an individual onboarding hands the next when it continues as new. */
export interface CarriedState {
  status: OnboardingStatus;
  hasPhone: boolean;
  emailVerified: boolean;
  phoneVerified: boolean;
  profileComplete: boolean;
  consents: ConsentType[];
  /** `inChild`: the check runs in the identity-verification child (executions past the individual-kyc-child patch). */
  kyc?: { verificationId: string; checkId?: string; status: 'IN_PROGRESS' | 'MANUAL_REVIEW' | 'APPROVED' | 'REJECTED'; inChild?: boolean };
  verificationEmailSent: boolean;
  lastCodeSentAt: { EMAIL: number; PHONE: number };
  codesSent: { EMAIL: number; PHONE: number };
  recentCodeSends: { EMAIL: number[]; PHONE: number[] };
  progress: number;
  reminders: number;
  lastProgressAt: number;
  /** The DueRequirement search attribute as last upserted; absent in runs carried before it existed. */
  dueRequirement?: string | null;
  /** The requirements last recorded as a webhook event; absent in runs carried before those events existed. */
  publishedRequirements?: Requirements;
}

/**
 * What registration hands the workflow. Secret material (the password's hash, tax ids) never travels here: the
 * API stages it in `registration_secrets` and the registration activity picks it up by tenant and customer id.
 */
export interface IndividualRegistration {
  firstName: string;
  lastName: string;
  email: string;
  phone?: string;
  /** Set when the API staged a password hash or tax ids for this customer. */
  stagedSecrets?: true;
  /** Only in executions registered before secrets were staged: the hash inline. Never written any more. */
  passwordHash?: string;
  marketingConsent: boolean;
  termsAcceptedAt?: string;
  /** The whole profile, when registration carried it (v2 API); stored with the customer row. */
  profile?: ProfileDetails;
  /** The rest of a v2 payload (financial profile, meta data …) as given, without its tax ids. */
  details?: Record<string, unknown>;
  /** The category the tenant's rules gave at registration (a code, not personal data); absent: none, or registered before categories. */
  category?: string;
}

export interface RegistrationReceipt {
  customerId: string;
  status: CustomerStatus;
  createdAt: string;
}

/** Something the customer, the tenant or staff still has to do, in the order the workflow enforces. */
export type Requirement =
  | 'EMAIL_VERIFICATION'
  | 'PHONE_VERIFICATION'
  | 'PROFILE'
  | `CONSENT:${ConsentType}`
  | 'KYC'
  | 'KYC_RESULT'
  | 'MANUAL_REVIEW'
  | 'ACTIVATION';

export type OnboardingStatus = CustomerStatus | 'REGISTERING' | 'REGISTRATION_FAILED';

export interface OnboardingSnapshot {
  customerId: string;
  status: OnboardingStatus;
  /** What can be done now; empty once the onboarding has ended. */
  due: Requirement[];
  verificationEmailSent: boolean;
  consents: ConsentType[];
  kyc?: { verificationId: string; status: 'IN_PROGRESS' | 'MANUAL_REVIEW' | 'APPROVED' | 'REJECTED' };
  /** The customer's lifecycle status (ONBOARDING until an outcome). Answered by the snapshot query only. */
  lifecycleStatus?: LifecycleStatus;
  /** What the tenant must do now, what is being checked, what failed. Answered by the snapshot query only. */
  requirements?: Requirements;
}

export interface OnboardingOutcome {
  customerId: string;
  status: OnboardingStatus;
}

export interface ConsentGiven {
  type: ConsentType;
  version: string;
  ipAddress?: string;
  userAgent?: string;
}

export interface ProfileDetails {
  dateOfBirth: string;
  nationality: string;
  countryOfResidence: string;
  address: { line1: string; line2?: string; city: string; postalCode: string; subdivisionCode?: string; country: string };
  /**
   * Seed 004's other details (names' `_en` twins, gender, financial profile, meta data …, never tax ids) when
   * PUT /v2/profile gave them during the onboarding; absent in updates sent before it took seed 004's body.
   */
  details?: Record<string, unknown>;
  /** The names PUT /v2/profile gave (Latin twins preferred), written to the customer row with the profile. */
  names?: { firstName: string; lastName: string };
}

export interface KycResult {
  verificationId: string;
  checkId: string;
  decision: 'APPROVED' | 'REJECTED' | 'REVIEW';
  reason?: string;
}

/** Staff's decision; `reviewer` is the session's staff member (`staff:<id>`), never a name the request body gave. */
export interface KycDecision {
  decision: 'APPROVE' | 'REJECT';
  reason: string;
  reviewer: string;
}

/** Failure types the API maps to documented errors. */
export const FailureType = {
  EmailAlreadyRegistered: 'EmailAlreadyRegistered',
  AlreadyRegistered: 'AlreadyRegistered',
  RegistrationFailed: 'RegistrationFailed',
  /** The action does not fit the onboarding's current step; details: [status, due]. */
  InvalidState: 'InvalidState',
  /** Too soon after the last code; details: [seconds to wait]. */
  ResendTooSoon: 'ResendTooSoon',
  /** A code asked for could not be sent (after bounded retries); details: [seconds until it may be asked again]. */
  CodeNotSent: 'CodeNotSent',
} as const;

export const registerUpdate = defineUpdate<RegistrationReceipt, [IndividualRegistration]>('register');
export const emailVerifiedUpdate = defineUpdate<OnboardingSnapshot>('emailVerified');
export const resendEmailCodeUpdate = defineUpdate<{ sent: true }>('resendEmailCode');
export const sendPhoneCodeUpdate = defineUpdate<{ sent: true }>('sendPhoneCode');
export const phoneVerifiedUpdate = defineUpdate<OnboardingSnapshot>('phoneVerified');
export const completeProfileUpdate = defineUpdate<OnboardingSnapshot, [ProfileDetails]>('completeProfile');
export const giveConsentUpdate = defineUpdate<OnboardingSnapshot, [ConsentGiven]>('giveConsent');
export const startKycUpdate = defineUpdate<{ verificationId: string; status: OnboardingStatus }>('startKyc');
export const decideKycUpdate = defineUpdate<OnboardingSnapshot, [KycDecision]>('decideKyc');
export const activateUpdate = defineUpdate<OnboardingSnapshot>('activate');
export const kycResultSignal = defineSignal<[KycResult]>('kycResult');
export const snapshotQuery = defineQuery<OnboardingSnapshot>('snapshot');
