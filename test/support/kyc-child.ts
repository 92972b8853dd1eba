/**
 * Checks that an individual's KYC ran in its identity-verification child: the child named by the subject, started
 * by the onboarding, owning the verification row and the provider calls, while the onboarding's own history shows
 * only the row's opening, the child's start, its review signal and its outcome.
 */
import type { History } from '@temporalio/common/lib/proto-utils';
import { IDENTITY_VERIFICATION_WORKFLOW, identityVerificationWorkflowId } from '../../common/identity-contract';
import { onboardingWorkflowId } from '../../common/onboarding-contract';
import type { Harness } from './harness';

const activities = (history: History) =>
  (history.events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
const signals = (history: History) => (history.events ?? []).flatMap((event) => event.workflowExecutionSignaledEventAttributes?.signalName ?? []);

/** After the check has ended: what each history holds. `review`: the child went to manual review first. */
export async function expectKycRanInChild(h: Harness, tenantId: string, customerId: string, { review, polled = false }: { review: boolean; polled?: boolean }) {
  const childId = identityVerificationWorkflowId(tenantId, customerId, customerId);
  expect(childId).toBe(`onboarding/${tenantId}/${customerId}/person/${customerId}`);
  const child = h.temporal.workflow.getHandle(childId);
  const parentId = onboardingWorkflowId(tenantId, customerId);
  const description = await child.describe();
  expect(description.type).toBe(IDENTITY_VERIFICATION_WORKFLOW);
  expect(description.parentExecution?.workflowId).toBe(parentId);
  expect(description.status.name).toBe('COMPLETED');

  const row = await h.db('kyc_verifications').where({ tenant_id: tenantId, customer_id: customerId }).first();
  expect(row).toMatchObject({ workflow_id: childId, subject_type: 'CUSTOMER', subject_id: customerId });
  const outcome = await child.result();
  expect(outcome).toMatchObject({ subject: { type: 'CUSTOMER', id: customerId }, role: 'INDIVIDUAL', verificationId: row.id });

  const childHistory = await child.fetchHistory();
  expect(activities(childHistory)).toEqual(expect.arrayContaining(['submitKycCheck', 'recordKycOutcome']));
  // Prepared by the onboarding: it opened the row and its profile holds the details, so the child does neither again.
  expect(activities(childHistory)).not.toContain('openKycVerification');
  expect(activities(childHistory)).not.toContain('missingIdentityDetails');
  if (polled) expect(activities(childHistory)).toContain('fetchKycResult');

  const parentHistory = await h.temporal.workflow.getHandle(parentId).fetchHistory();
  const events = parentHistory.events ?? [];
  expect(events.filter((event) => event.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId === childId)).toHaveLength(1);
  expect(events.filter((event) => event.childWorkflowExecutionCompletedEventAttributes)).toHaveLength(1);
  // The onboarding opens the row (naming the child) so its 202 finds it; the check itself is the child's.
  for (const providerWork of ['submitKycCheck', 'fetchKycResult', 'recordKycOutcome']) {
    expect(activities(parentHistory)).not.toContain(providerWork);
  }
  expect(signals(parentHistory).filter((name) => name === 'identityInReview')).toHaveLength(review ? 1 : 0);
  return { childId, verificationId: row.id as string };
}
