/**
 * The contract between the API and the onboarding workflows: workflow names and ids, the messages a workflow
 * accepts (updates, signals, queries) and the shapes they carry. Safe to import from workflow code.
 */
import type { Duration } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CustomerStatus } from './statuses';

export const INDIVIDUAL_ONBOARDING_WORKFLOW = 'individualOnboarding';

/** One workflow per customer: the business key is the workflow id. */
export function onboardingWorkflowId(tenantId: string, customerId: string): string {
  return `onboarding/${tenantId}/${customerId}`;
}

export interface OnboardingInput {
  tenantId: string;
  customerId: string;
  /** How long the onboarding may sit without progress before it expires (default 30 days). */
  expireAfter?: Duration;
}

/** What registration hands the workflow. The password arrives already hashed; the API never forwards it. */
export interface IndividualRegistration {
  firstName: string;
  lastName: string;
  email: string;
  phone?: string;
  passwordHash: string;
  marketingConsent: boolean;
  termsAcceptedAt: string;
}

export interface RegistrationReceipt {
  customerId: string;
  status: CustomerStatus;
  createdAt: string;
}

export interface OnboardingSnapshot {
  customerId: string;
  status: CustomerStatus | 'REGISTERING' | 'REGISTRATION_FAILED';
  verificationEmailSent: boolean;
}

export interface OnboardingOutcome {
  customerId: string;
  status: OnboardingSnapshot['status'];
}

/** Failure types the API maps to documented errors. */
export const FailureType = {
  EmailAlreadyRegistered: 'EmailAlreadyRegistered',
  AlreadyRegistered: 'AlreadyRegistered',
  RegistrationFailed: 'RegistrationFailed',
} as const;

export const registerUpdate = defineUpdate<RegistrationReceipt, [IndividualRegistration]>('register');
export const snapshotQuery = defineQuery<OnboardingSnapshot>('snapshot');
