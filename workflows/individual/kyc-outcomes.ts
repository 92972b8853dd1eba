/**
 * What the tenant and the customer see of a KYC check, whoever ran it (this workflow inline, or the
 * identity-verification child): the onboarding's status with its history row, and the e-mail for it. The
 * verification row is written by whoever runs the check.
 */
import { notify } from './notifications';
import type { IndividualFlow, OnboardingState } from './state';

/** The tenant's and customer's side of a manual review (the verification row is the checker's to write). */
export async function showManualReview(flow: IndividualFlow, state: OnboardingState, reason: string): Promise<void> {
  state.kyc!.status = 'MANUAL_REVIEW';
  await flow.moveTo(state, 'MANUAL_REVIEW', reason);
  await notify(state, 'kyc-review', `kyc-review/${state.kyc!.verificationId}`);
}

/** The tenant's and customer's side of a decision: the status, its history row, the e-mail. */
export async function conclude(flow: IndividualFlow, state: OnboardingState, decision: 'APPROVED' | 'REJECTED', reason?: string) {
  state.kyc!.status = decision;
  await flow.moveTo(state, decision === 'APPROVED' ? 'KYC_APPROVED' : 'REJECTED', reason ?? `KYC ${decision.toLowerCase()}`);
  state.lastProgressAt = Date.now();
  const template = decision === 'APPROVED' ? 'kyc-approved' : 'kyc-rejected';
  await notify(state, template, `${template}/${state.kyc!.verificationId}`);
}
