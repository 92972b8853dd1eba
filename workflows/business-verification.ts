/**
 * KYB of one organization: a child of its onboarding, id kybWorkflowId(tenant, organization).
 *
 * The story: open a verification → ask the company registry → compare its answer with what the tenant sent →
 * submit the check to the KYB vendor → wait for its signed callback while polling on a back-off schedule → the
 * decision; anything the vendor cannot decide goes to staff.
 *
 * What it guarantees:
 * - a registry answer that differs from the tenant's data (name, an inactive company, no such company) ends the
 *   run REJECTED with requirement errors `{ requirement: 'KYB', reason }` and no vendor check: the tenant corrects
 *   the data and the parent may start a new run under the same id;
 * - a REVIEW, no decision within `resultTimeout`, or a vendor that refuses or cannot be reached puts the check in
 *   MANUAL_REVIEW, where only staff's decision ends it; that decision records who (the route's principal and the
 *   reviewer they name), when (workflow time) and why;
 * - only the first answer for a check counts: a repeated or conflicting callback, or one after the decision, has
 *   no effect;
 * - every status change is written to kyb_verifications and mirrored in the KybStatus search attribute; search
 *   attributes carry ids and statuses only, and the company's data stays inside encrypted payloads.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  uuid4,
} from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import {
  decideKybUpdate,
  KybFailureType,
  kybResultSignal,
  kybSnapshotQuery,
  type BusinessVerificationInput,
  type KybOutcome,
  type KybRegistryFindings,
  type KybResult,
  type KybSnapshot,
  type KybStaffDecisionRecord,
  type KybVerificationStatus,
} from '../common/kyb-contract';
import type { RequirementError } from '../common/lifecycle';
import { CustomerIdKey, CustomerTypeKey, KybStatusKey, TenantIdKey } from '../common/search-attributes';
import { checkDetailsText } from '../common/workflow-labels';
import { io, vendor } from './kyb/activities';
import { awaitKybResult } from './kyb/await-result';
import { registryErrors } from './kyb/registry';

const DEFAULT_RESULT_TIMEOUT = '1 hour';
const DEFAULT_FIRST_POLL_AFTER = '2 minutes';

export async function businessVerification(input: BusinessVerificationInput): Promise<KybOutcome> {
  const { tenantId, organizationId, company } = input;
  const verificationId = `kyb_${uuid4().replace(/-/g, '')}`;
  const ref = { tenantId, verificationId };
  const state: { status: KybVerificationStatus; reason?: string; errors: RequirementError[]; decision?: KybStaffDecisionRecord } = {
    status: 'IN_PROGRESS',
    errors: [],
  };
  const callbacks = new Map<string, KybResult>();
  const snapshot = (): KybSnapshot => ({ organizationId, verificationId, status: state.status, reason: state.reason, errors: state.errors });

  setHandler(kybSnapshotQuery, snapshot);
  setHandler(kybResultSignal, (result) => {
    if (result.verificationId === verificationId && !callbacks.has(verificationId)) callbacks.set(verificationId, result);
  });
  setHandler(
    decideKybUpdate,
    async ({ decision, reason, reviewer, decidedBy }) => {
      state.decision = { decision, reason, reviewer, decidedBy, decidedAt: new Date(Date.now()).toISOString() };
      const status = decision === 'APPROVE' ? 'APPROVED' : 'REJECTED';
      await io.recordKybOutcome({ ...ref, status, reason, reviewer, decidedBy, decidedAt: state.decision.decidedAt });
      moveTo(status, reason);
      return snapshot();
    },
    {
      validator: (_decision) => {
        // `decision` is set synchronously when a handler starts: a second, concurrent decision is refused here.
        if (state.status !== 'MANUAL_REVIEW' || state.decision) {
          throw ApplicationFailure.create({
            type: KybFailureType.InvalidState,
            message: `KYB is ${state.decision ? 'already decided' : state.status}, not awaiting a staff decision`,
            nonRetryable: true,
            details: [state.status],
          });
        }
      },
    },
  );

  function moveTo(status: KybVerificationStatus, reason?: string) {
    state.status = status;
    state.reason = reason;
    upsertSearchAttributes([{ key: KybStatusKey, value: status }]);
    setCurrentDetails(checkDetailsText('KYB', status));
  }

  async function finish(status: 'APPROVED' | 'REJECTED', reason: string | undefined, findings?: KybRegistryFindings): Promise<KybOutcome> {
    if (!state.decision) {
      await io.recordKybOutcome({ ...ref, status, reason });
      moveTo(status, reason);
    }
    await condition(allHandlersFinished);
    return { verificationId, status: state.status as 'APPROVED' | 'REJECTED', reason: state.reason, errors: state.errors, findings, decision: state.decision };
  }

  async function manualReview(reason: string, findings?: KybRegistryFindings): Promise<KybOutcome> {
    await io.recordKybOutcome({ ...ref, status: 'MANUAL_REVIEW', reason });
    moveTo('MANUAL_REVIEW', reason);
    await condition(() => state.status !== 'MANUAL_REVIEW'); // staff decide; no deadline on them
    return finish(state.status as 'APPROVED' | 'REJECTED', state.reason, findings);
  }

  upsertSearchAttributes([
    { key: TenantIdKey, value: tenantId },
    { key: CustomerIdKey, value: organizationId },
    { key: CustomerTypeKey, value: 'ORGANIZATION' },
    { key: KybStatusKey, value: 'IN_PROGRESS' },
  ]);
  setCurrentDetails(checkDetailsText('KYB', 'IN_PROGRESS'));
  await io.openKybVerification({ ...ref, organizationId });

  let findings: KybRegistryFindings;
  try {
    findings = await vendor.lookUpCompanyRegistry({ ...ref, company });
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    return manualReview('The company registry could not be consulted');
  }
  state.errors = registryErrors(company, findings);
  if (state.errors.length > 0) return finish('REJECTED', 'The company registry does not match what was sent', findings);

  let checkId: string;
  try {
    ({ checkId } = await vendor.submitKybCheck({ ...ref, company }));
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    return manualReview('The KYB provider could not take the check', findings);
  }
  const { result, pollProblem } = await awaitKybResult({ verificationId, checkId }, callbacks, {
    resultTimeoutMs: msToNumber(input.resultTimeout ?? DEFAULT_RESULT_TIMEOUT),
    firstPollAfterMs: msToNumber(input.firstPollAfter ?? DEFAULT_FIRST_POLL_AFTER),
  });
  if (!result) {
    const reason = 'No result from the KYB provider in time';
    return manualReview(pollProblem ? `${reason}; the last poll failed: ${pollProblem}` : reason, findings);
  }
  if (result.decision === 'REVIEW') return manualReview(result.reason ?? 'The KYB provider asked for a manual review', findings);
  return finish(result.decision, result.reason, findings);
}
