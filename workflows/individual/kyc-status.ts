/**
 * The individual's KycStatus search attribute, so staff find "KYC in manual review" or "KYC rejected" with one term,
 * the same attribute the identity-verification children carry. It follows the onboarding's status (the KYC outcome
 * is part of it); an onboarding that expires or fails keeps the KYC status it had.
 */
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { OnboardingStatus } from '../../common/onboarding-contract';
import { KycStatusKey } from '../../common/search-attributes';
import type { KybStatus } from '../../common/statuses';

/** Executions started before it did not carry KycStatus (the API now sets NOT_STARTED at start). */
export const KYC_STATUS_ATTRIBUTE = 'individual-kyc-status-attribute';

/** The KYC status an onboarding status implies, in KYB's vocabulary; undefined: unchanged by this status. */
export function kycStatusOf(status: OnboardingStatus): KybStatus | undefined {
  switch (status) {
    case 'KYC_IN_PROGRESS':
      return 'IN_PROGRESS';
    case 'MANUAL_REVIEW':
    case 'REJECTED':
      return status;
    case 'KYC_APPROVED':
    case 'ACTIVE':
      return 'APPROVED';
    case 'EXPIRED':
    case 'REGISTRATION_FAILED':
    case 'SUSPENDED':
    case 'BLOCKED':
    case 'CLOSED':
      return undefined;
    default:
      return 'NOT_STARTED';
  }
}

export function kycStatusAttribute(status: OnboardingStatus): SearchAttributeUpdatePair[] {
  const value = kycStatusOf(status);
  return value === undefined ? [] : [{ key: KycStatusKey, value }];
}
