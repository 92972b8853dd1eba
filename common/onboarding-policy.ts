/**
 * A tenant's onboarding policy: which consents it requires and how long each wait may last. The API reads it
 * when an onboarding starts and hands it to the workflow, so a running onboarding keeps the rules it began with.
 */
import type { Duration } from '@temporalio/common';

export const CONSENT_TYPES = ['TERMS_AND_CONDITIONS', 'PRIVACY_POLICY', 'DATA_PROCESSING', 'MARKETING'] as const;
export type ConsentType = (typeof CONSENT_TYPES)[number];

export interface OnboardingPolicy {
  requiredConsents: ConsentType[];
  /** First reminder after this long without progress on a step that waits on the customer; then again. */
  reminderAfter: Duration;
  /** No progress for this long ends the onboarding as EXPIRED. */
  expireAfter: Duration;
  /** Least time between two verification codes sent on request. */
  resendCooldown: Duration;
  /** How long to wait for the KYC provider's decision (callback or poll) before handing the case to manual review. */
  kycResultTimeout: Duration;
  /**
   * While waiting for the callback, the provider is polled this long after the check was opened, then at doubling
   * intervals (capped), so a lost callback costs minutes. Optional: policies handed to executions started before
   * it existed lack it, and the workflow falls back to the default.
   */
  kycFirstPollAfter?: Duration;
}

export const DEFAULT_POLICY: OnboardingPolicy = {
  requiredConsents: ['TERMS_AND_CONDITIONS', 'PRIVACY_POLICY', 'DATA_PROCESSING'],
  reminderAfter: '24 hours',
  expireAfter: '30 days',
  resendCooldown: '60 seconds',
  kycResultTimeout: '1 hour',
  kycFirstPollAfter: '2 minutes',
};
