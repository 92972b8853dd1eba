/**
 * What the baseline's journey API and its workflow share (definitions only, safe in workflow code): the workflow,
 * its updates (one per step the customer or tenant takes), the KYC callback's signal and the status query.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { BaselineRegistration } from './contract';

export const BASELINE_JOURNEY_WORKFLOW = 'baselineOnboarding';

export const journeyWorkflowId = (customerId: string) => `baseline-journey/${customerId}`;

export type JourneyStatus =
  | 'REGISTERING'
  | 'PENDING_EMAIL_VERIFICATION'
  | 'PENDING_PROFILE'
  | 'PENDING_CONSENTS'
  | 'PENDING_KYC'
  | 'KYC_IN_PROGRESS'
  | 'KYC_APPROVED'
  | 'REJECTED'
  | 'ACTIVE'
  | 'REGISTRATION_FAILED'
  | 'EXPIRED';

export interface JourneyAnswer {
  customerId: string;
  status: JourneyStatus;
}

export interface JourneyRegistrationReceipt extends JourneyAnswer {
  createdAt: string;
}

export interface KycCallback {
  verificationId: string;
  checkId: string;
  decision: 'APPROVED' | 'REJECTED';
}

/** The consent types the bench's journey gives (the project's required ones). */
export const REQUIRED_CONSENTS = ['TERMS_AND_CONDITIONS', 'PRIVACY_POLICY', 'DATA_PROCESSING'] as const;

export const journeyRegisterUpdate = defineUpdate<JourneyRegistrationReceipt, [BaselineRegistration]>('register');
export const verifyEmailUpdate = defineUpdate<JourneyAnswer, [{ code: string }]>('verifyEmail');
export const profileUpdate = defineUpdate<JourneyAnswer, [Record<string, unknown>]>('completeProfile');
export const consentUpdate = defineUpdate<JourneyAnswer, [{ type: string; version: string }]>('giveConsent');
export const startKycUpdate = defineUpdate<JourneyAnswer & { verificationId: string }, []>('startKyc');
export const activateUpdate = defineUpdate<JourneyAnswer, []>('activate');
export const kycResultSignal = defineSignal<[KycCallback]>('kycResult');
export const statusQuery = defineQuery<JourneyAnswer>('status');
