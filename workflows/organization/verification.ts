/**
 * The organization's checks, run as the step engine's provider check: the company's KYB (a businessVerification
 * child) and one identityVerification child per person KYB's start chose (the representative, every director,
 * every computed UBO), all at once. The parent waits for every outcome: all approved → APPROVED; anything else →
 * MANUAL_REVIEW with one requirement error per failed item (no personal data, no provider findings).
 *
 * ParentClosePolicy TERMINATE, deliberately: the parent never closes while its children run in the normal course
 * (the engine does not continue as new during a check, and the parent awaits every child), so the policy only
 * acts when an operator terminates or resets the parent. A check that outlived its onboarding would keep inviting
 * and reminding people for an organization nobody is onboarding any more; terminating it is the honest end.
 */
import { ChildWorkflowFailure, executeChild, ParentClosePolicy, workflowInfo } from '@temporalio/workflow';
import { BUSINESS_VERIFICATION_WORKFLOW, kybWorkflowId, type BusinessVerificationInput, type KybOutcome } from '../../common/kyb-contract';
import {
  IDENTITY_VERIFICATION_WORKFLOW,
  identityVerificationWorkflowId,
  type IdentityOutcome,
  type IdentityVerificationInput,
  type SubjectRole,
} from '../../common/identity-contract';
import type { RequirementError } from '../../common/lifecycle';
import { identityLabels, kybLabels } from '../../common/workflow-labels';
import type { OrganizationStep, PersonVerification } from '../../common/organization-contract';
import type { Flow } from '../engine';
import { io } from './activities';
import type { OrganizationState } from './state';

type OrganizationFlow = Flow<OrganizationStep, OrganizationState>;

const PERSON_FAILED: Record<'REJECTED' | 'EXPIRED', string> = {
  REJECTED: 'Identity check did not pass',
  EXPIRED: 'The details the identity check needs were not supplied in time',
};

export async function runVerifications(state: OrganizationState, flow: OrganizationFlow): Promise<void> {
  state.kybChecking = true;
  const [kyb] = await Promise.all([verifyCompany(state), ...state.persons.map((person) => verifyPerson(state, flow, person))]);
  state.kybChecking = false;
  const errors = [...kyb, ...state.persons.filter((p) => p.status !== 'APPROVED').map(personError)];
  state.errors = errors;
  if (errors.length === 0) return flow.moveTo(state, 'APPROVED', 'KYB approved and every required person verified');
  await flow.moveTo(state, 'MANUAL_REVIEW', `Checks did not pass: ${errors.map((error) => error.requirement).join(', ')}`);
}

/** The company's check; its registry mismatches are already tenant-readable requirement errors. */
async function verifyCompany(state: OrganizationState): Promise<RequirementError[]> {
  const { tenantId } = state.input;
  const organizationId = state.organizationId;
  const company = await io.kybCompany({ tenantId, organizationId });
  const input: BusinessVerificationInput = {
    tenantId,
    organizationId,
    company,
    resultTimeout: state.policy.kycResultTimeout,
    firstPollAfter: state.policy.kycFirstPollAfter,
  };
  let outcome: KybOutcome;
  try {
    outcome = await executeChild<(input: BusinessVerificationInput) => Promise<KybOutcome>>(BUSINESS_VERIFICATION_WORKFLOW, {
      workflowId: kybWorkflowId(tenantId, organizationId),
      args: [input],
      parentClosePolicy: ParentClosePolicy.TERMINATE,
      // User metadata rides on the start command (no new command): replay-safe for recorded histories.
      ...kybLabels({ tenantId, tenantName: state.input.tenantName, customerId: organizationId, parentWorkflowId: workflowInfo().workflowId }),
    });
  } catch (error) {
    if (!(error instanceof ChildWorkflowFailure)) throw error;
    return [{ requirement: 'KYB', reason: 'The business verification could not complete' }];
  }
  if (outcome.status === 'APPROVED') return [];
  return outcome.errors.length > 0 ? outcome.errors : [{ requirement: 'KYB', reason: 'The business verification did not pass' }];
}

/** One person's check; its outcome is kept on the person (the snapshot shows it while the others still run). */
async function verifyPerson(state: OrganizationState, flow: OrganizationFlow, person: PersonVerification): Promise<void> {
  const { tenantId } = state.input;
  const { reminderAfter, expireAfter, kycResultTimeout, kycFirstPollAfter } = state.policy;
  const input: IdentityVerificationInput = {
    tenantId,
    customerId: state.organizationId,
    subject: { type: 'PARTY', id: person.partyId },
    role: roleOf(person),
    policy: { reminderAfter, expireAfter, kycResultTimeout, kycFirstPollAfter },
  };
  try {
    const outcome = await executeChild<(input: IdentityVerificationInput) => Promise<IdentityOutcome>>(IDENTITY_VERIFICATION_WORKFLOW, {
      workflowId: identityVerificationWorkflowId(tenantId, state.organizationId, person.partyId),
      args: [input],
      parentClosePolicy: ParentClosePolicy.TERMINATE,
      ...identityLabels({
        tenantId,
        tenantName: state.input.tenantName,
        customerId: state.organizationId,
        role: input.role,
        subjectId: person.partyId,
        parentWorkflowId: workflowInfo().workflowId,
      }),
    });
    person.status = outcome.status;
  } catch (error) {
    if (!(error instanceof ChildWorkflowFailure)) throw error;
    person.status = 'REJECTED';
  }
  await flow.publish(state, false); // what is pending changed
}

/** The role the child's SubjectType search attribute shows: the strongest reason the person is verified for. */
function roleOf(person: PersonVerification): SubjectRole {
  if (person.reasons.includes('DIRECTOR')) return 'DIRECTOR';
  return person.reasons.includes('UBO') ? 'UBO' : 'REPRESENTATIVE';
}

function personError(person: PersonVerification): RequirementError {
  return { requirement: `PERSON:${person.partyId}`, reason: PERSON_FAILED[person.status as 'REJECTED' | 'EXPIRED'] ?? PERSON_FAILED.REJECTED };
}
