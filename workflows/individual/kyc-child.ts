/**
 * The individual's KYC as the identity-verification child (executions past the `individual-kyc-child` patch): the
 * child (id onboarding/{tenant}/{customer}/person/{customer}) carries the provider check, its polls and the manual
 * review in its own history; this workflow's history shows the child's start, its review signal and its outcome.
 * The tenant sees what it always saw: KYC_IN_PROGRESS while the child checks, MANUAL_REVIEW with the kyc-review
 * e-mail when the child signals its review, then KYC_APPROVED or REJECTED with their e-mails.
 *
 * ParentClosePolicy TERMINATE, deliberately: this workflow awaits the child inside its check step, where the engine
 * never continues as new, so the policy only acts when an operator terminates or resets the onboarding; a check
 * that outlived the onboarding would decide for nobody.
 */
import { ChildWorkflowFailure, condition, ParentClosePolicy, startChild, workflowInfo } from '@temporalio/workflow';
import {
  IDENTITY_VERIFICATION_WORKFLOW,
  identityVerificationWorkflowId,
  type IdentityOutcome,
  type IdentityVerificationInput,
} from '../../common/identity-contract';
import { identityLabels } from '../../common/workflow-labels';
import { conclude, showManualReview } from './kyc-outcomes';
import type { IndividualFlow, OnboardingState } from './state';

/** Executions started before this patch run the KYC check inline (./kyc.ts). */
export const KYC_CHILD = 'individual-kyc-child';

/** The subject and workflow the verification row names: the child's (see `runKycInChild`). */
export function kycChildRoute(tenantId: string, customerId: string) {
  return { subject: { type: 'CUSTOMER' as const, id: customerId }, workflowId: identityVerificationWorkflowId(tenantId, customerId, customerId) };
}

export async function runKycInChild(state: OnboardingState, flow: IndividualFlow): Promise<void> {
  const { tenantId, customerId } = state.input;
  const { reminderAfter, expireAfter, kycResultTimeout, kycFirstPollAfter } = state.policy;
  const { subject, workflowId } = kycChildRoute(tenantId, customerId);
  const input: IdentityVerificationInput = {
    tenantId,
    customerId,
    subject,
    role: 'INDIVIDUAL',
    policy: { reminderAfter, expireAfter, kycResultTimeout, kycFirstPollAfter },
    verificationId: state.kyc!.verificationId,
    reportReviewToParent: true,
    prepared: true,
  };
  let outcome: IdentityOutcome;
  try {
    const child = await startChild<(input: IdentityVerificationInput) => Promise<IdentityOutcome>>(IDENTITY_VERIFICATION_WORKFLOW, {
      workflowId,
      args: [input],
      parentClosePolicy: ParentClosePolicy.TERMINATE,
      // User metadata rides on the start command (no new command): replay-safe for recorded histories.
      ...identityLabels({ tenantId, tenantName: state.input.tenantName, customerId, role: 'INDIVIDUAL', subjectId: customerId, parentWorkflowId: workflowInfo().workflowId }),
    });
    const result = child.result();
    await Promise.race([result, condition(() => state.kycReviewReason !== undefined)]);
    // By the flag, not by which promise won: a review signal and the outcome may arrive in the same activation.
    if (state.kycReviewReason !== undefined) await showManualReview(flow, state, state.kycReviewReason);
    outcome = await result;
  } catch (error) {
    if (!(error instanceof ChildWorkflowFailure)) throw error;
    // Only an operator ends the child early: staff decide on this workflow, which then writes the row itself.
    state.kyc!.inChild = false;
    if (state.status !== 'MANUAL_REVIEW') await showManualReview(flow, state, 'The identity check could not complete');
    return;
  }
  if (outcome.status === 'EXPIRED') return flow.definition.expire(state, flow); // the details it needed never came
  await conclude(flow, state, outcome.status, outcome.reason);
}
