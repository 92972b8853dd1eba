/**
 * The contract of an organization's KYB: the businessVerification child workflow's id, input and outcome, and the
 * messages it accepts (the provider's result signal, staff's decision, the snapshot query). Safe to import from
 * workflow code.
 */
import type { Duration } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RequirementError } from './lifecycle';

export const BUSINESS_VERIFICATION_WORKFLOW = 'businessVerification';

/** One KYB run at a time per organization, next to its onboarding's id (a closed run's id may be reused). */
export function kybWorkflowId(tenantId: string, organizationId: string): string {
  return `onboarding/${tenantId}/${organizationId}/kyb`;
}

/** The company as the tenant described it: what the registry's answer is compared with and the check is about. */
export interface KybCompany {
  legalName: string;
  registrationNumber: string;
  /** ISO 3166-1 alpha-3, as the API takes it. */
  countryOfIncorporation: string;
}

export interface BusinessVerificationInput {
  tenantId: string;
  organizationId: string;
  /**
   * Passed in because organization_profiles is not this workflow's table; company data only, no person's data,
   * and encrypted by the payload codec like every payload.
   */
  company: KybCompany;
  /** No decision by then (callback or poll): a last poll, then manual review. Default 1 hour. */
  resultTimeout?: Duration;
  /** First poll of the provider while the callback is awaited, then doubling up to 15 min. Default 2 minutes. */
  firstPollAfter?: Duration;
}

export const KYB_REGISTRATION_STATUSES = ['ACTIVE', 'DISSOLVED', 'LIQUIDATION', 'DORMANT'] as const;
export type RegistrationStatus = (typeof KYB_REGISTRATION_STATUSES)[number];

export interface RegistryOfficer {
  name: string;
  role: string;
}

/** What the company registry answered. Officers' names stay in (encrypted) payloads, never in rows. */
export interface KybRegistryFindings {
  /** False when the registry knows no company under this number in this country. */
  found: boolean;
  registeredName?: string;
  registrationStatus?: RegistrationStatus;
  officers: RegistryOfficer[];
}

export type KybVerificationStatus = 'IN_PROGRESS' | 'MANUAL_REVIEW' | 'APPROVED' | 'REJECTED';

export interface KybOutcome {
  verificationId: string;
  status: 'APPROVED' | 'REJECTED';
  reason?: string;
  /** What failed against the registry (`requirement: 'KYB'`): the tenant can correct the data and run KYB again. */
  errors: RequirementError[];
  findings?: KybRegistryFindings;
  /** Set when staff decided. */
  decision?: KybStaffDecisionRecord;
}

export interface KybResult {
  verificationId: string;
  checkId: string;
  decision: 'APPROVED' | 'REJECTED' | 'REVIEW';
  reason?: string;
}

/**
 * Staff's decision as the route sends it: `reviewer` is the session's staff member (`staff:<id>`, api/auth/actor.ts),
 * `decidedBy` the credential the request authenticated with. Histories from before recorded the reviewer a body named.
 */
export interface KybStaffDecision {
  decision: 'APPROVE' | 'REJECT';
  reason: string;
  reviewer: string;
  decidedBy: string;
}

export interface KybStaffDecisionRecord extends KybStaffDecision {
  /** ISO time, from the workflow's clock. */
  decidedAt: string;
}

export interface KybSnapshot {
  organizationId: string;
  verificationId?: string;
  status: KybVerificationStatus;
  reason?: string;
  errors: RequirementError[];
}

export const KybFailureType = {
  /** The decision does not fit the check's state (not in manual review, or already decided); details: [status]. */
  InvalidState: 'InvalidState',
} as const;

export const kybResultSignal = defineSignal<[KybResult]>('kybResult');
export const decideKybUpdate = defineUpdate<KybSnapshot, [KybStaffDecision]>('decideKyb');
export const kybSnapshotQuery = defineQuery<KybSnapshot>('kybSnapshot');
