/**
 * Identity verifications as the API sees them: it owns reads of `kyc_verifications` for routing and
 * `identity_subject_details`. It finds which workflow runs a verification (a child names itself in
 * `workflow_id`; older rows are the individual's own check, run by its onboarding workflow), forwards the
 * provider's callbacks and staff decisions there, and takes the details a person supplies after an invitation.
 */
import { timingSafeEqual } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from '../../common/db';
import type { FieldCipher } from '../../common/field-encryption';
import {
  decideIdentityUpdate,
  IdentityFailure,
  identityDetailsUpdate,
  identitySnapshotQuery,
  identityVerificationWorkflowId,
  type IdentitySnapshot,
} from '../../common/identity-contract';
import { identityDetailsContext } from '../../common/identity-details';
import { decideKycUpdate, kycResultSignal, onboardingWorkflowId, type KycDecision, type KycResult } from '../../common/onboarding-contract';
import { hashInvitationCode } from '../../activities/identity-invitation';
import type { SuppliedDetails } from '../../activities/identity-subjects';
import { ApiError, NotFoundError, ServiceUnavailableError, ValidationError } from '../http/errors';
import { isTemporalOutage, type OnboardingService } from '../onboarding/service';
import { temporalDeadline } from '../onboarding/temporal-deadline';
import { caseOfVerification, personCheckOf } from './person-checks';

/** The identity check is not at the step the action needs (or has ended). */
export class IdentityStateError extends ApiError {
  constructor(message: string, status: string) {
    super(409, 'INVALID_STATE', message, [{ field: 'status', message: status }]);
  }
}

/** The onboarding statuses in which the individual's KYC has not been decided yet. */
const KYC_UNDECIDED: ReadonlySet<string> = new Set(['KYC_IN_PROGRESS', 'MANUAL_REVIEW']);
const SETTLE_POLL_MS = 100;

interface VerificationRoute {
  tenantId: string;
  customerId: string;
  /** The child's id, or absent for an individual's own check. */
  workflowId?: string;
}

interface StaffIdentityCheckRow {
  id: string;
  provider: string;
  check_id: string | null;
  status: string;
  reason: string | null;
  reviewer: string | null;
  subject_type: 'CUSTOMER' | 'PARTY' | null;
  subject_id: string | null;
  created_at: Date;
  decided_at: Date | null;
}

export interface StaffIdentityCheck {
  verificationId: string;
  provider: string;
  providerCheckId: string | null;
  status: string;
  reason: string | null;
  reviewer: string | null;
  subject: { type: 'CUSTOMER' | 'PARTY'; id: string };
  startedAt: string;
  decidedAt: string | null;
}

export interface IdentityServiceDeps {
  db: Knex;
  temporal: Client;
  onboarding: OnboardingService;
  codeHashKey: Buffer;
  detailsCipher: FieldCipher;
  callTimeoutMs: number;
}

export function createIdentityService({ db, temporal, onboarding, codeHashKey, detailsCipher, callTimeoutMs }: IdentityServiceDeps) {
  const withDeadline = temporalDeadline(temporal, callTimeoutMs);

  // By the verification's global id alone: a provider callback and a platform admin know no tenant; the row names it.
  async function findVerification(where: { id: string; provider?: string }): Promise<VerificationRoute | undefined> {
    const row = await db('kyc_verifications')
      .where(where)
      .first<{ tenant_id: string; customer_id: string; workflow_id: string | null } | undefined>('tenant_id', 'customer_id', 'workflow_id');
    return row && { tenantId: row.tenant_id, customerId: row.customer_id, workflowId: row.workflow_id ?? undefined };
  }

  /** Temporal's refusals and outages as API errors. */
  function toApiError(error: unknown): unknown {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === IdentityFailure.InvalidState) {
      return new IdentityStateError(error.cause.message, String(error.cause.details?.[0] ?? 'unknown'));
    }
    if (error instanceof WorkflowNotFoundError) return new IdentityStateError('The identity check has ended', 'ENDED');
    if (isTemporalOutage(error)) return new ServiceUnavailableError();
    return error;
  }

  /**
   * The onboarding as soon as it shows the child's outcome: the child's update returns when the child has decided,
   * and its parent moves on a moment later. Bounded by the call deadline; past it, the onboarding as it stands.
   */
  async function kycSettled(tenantId: string, customerId: string) {
    const deadline = Date.now() + callTimeoutMs;
    for (;;) {
      const current = await onboarding.snapshot(tenantId, customerId);
      if (!KYC_UNDECIDED.has(current.status) || Date.now() >= deadline) return current;
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    }
  }

  return {
    /**
     * For compliance staff (the case page): every identity check of an onboarding customer, the individual's own
     * and its persons', with the provider's reason (or the reviewer's, once decided) and who decided. Oldest first.
     */
    async staffChecks(tenantId: string, customerId: string): Promise<StaffIdentityCheck[]> {
      const rows = await db('kyc_verifications')
        .where({ tenant_id: tenantId, customer_id: customerId })
        .orderBy([{ column: 'created_at' }, { column: 'id' }])
        .select<StaffIdentityCheckRow[]>('id', 'provider', 'check_id', 'status', 'reason', 'reviewer', 'subject_type', 'subject_id', 'created_at', 'decided_at');
      return rows.map((row) => ({
        verificationId: row.id,
        provider: row.provider,
        providerCheckId: row.check_id,
        status: row.status,
        reason: row.reason,
        reviewer: row.reviewer,
        // Rows from before the child workflow name no subject: they are the individual's own check.
        subject: row.subject_type === 'PARTY' ? { type: 'PARTY' as const, id: row.subject_id! } : { type: 'CUSTOMER' as const, id: customerId },
        startedAt: row.created_at.toISOString(),
        decidedAt: row.decided_at?.toISOString() ?? null,
      }));
    },

    /** For compliance staff (a PERSON case): an organization's person's check by its id, and whether it waits on staff. */
    personCheck: (verificationId: string) => personCheckOf(db, verificationId),

    /** Which back-office case a decision on this verification settles (the four-eyes gate's case). */
    caseOfVerification: (verificationId: string) => caseOfVerification(db, verificationId),

    /** What a person supplied after an invitation, opened with the details cipher; undefined when nothing was. */
    async suppliedDetails(tenantId: string, customerId: string, subjectId: string): Promise<SuppliedDetails | undefined> {
      const row = await db('identity_subject_details')
        .where({ tenant_id: tenantId, customer_id: customerId, subject_id: subjectId })
        .whereNotNull('details_encrypted')
        .first<{ details_encrypted: string } | undefined>('details_encrypted');
      if (!row) return undefined;
      return JSON.parse(detailsCipher.decrypt(row.details_encrypted, identityDetailsContext(tenantId, customerId, subjectId))) as SuppliedDetails;
    },

    async isKnownVerification(provider: string, verificationId: string): Promise<boolean> {
      return (await findVerification({ id: verificationId, provider })) !== undefined;
    },

    /**
     * Delivers a provider decision to the workflow running the check. False: no such verification. A
     * workflow that has ended has nothing left to decide; the signal handler keeps only a check's first answer.
     */
    async deliverProviderResult(provider: string, result: KycResult): Promise<boolean> {
      const found = await findVerification({ id: result.verificationId, provider });
      if (!found) return false;
      const handle = temporal.workflow.getHandle(found.workflowId ?? onboardingWorkflowId(found.tenantId, found.customerId));
      await withDeadline(() => handle.signal(kycResultSignal, result)).catch((error: unknown) => {
        if (error instanceof WorkflowNotFoundError) return;
        throw isTemporalOutage(error) ? new ServiceUnavailableError() : error;
      });
      return true;
    },

    /** A compliance decision on a verification in manual review, sent to whichever workflow runs it. */
    async decide(verificationId: string, decision: KycDecision): Promise<{ verificationId: string; status: string }> {
      const found = await findVerification({ id: verificationId });
      if (!found) throw new NotFoundError('Verification not found');
      if (!found.workflowId) {
        const snapshot = await onboarding.send(found.tenantId, found.customerId, decideKycUpdate, decision);
        return { verificationId, status: snapshot.kyc?.status ?? snapshot.status };
      }
      const handle = temporal.workflow.getHandle(found.workflowId);
      try {
        const snapshot = (await withDeadline(() => handle.executeUpdate(decideIdentityUpdate, { args: [decision] }))) as IdentitySnapshot;
        return { verificationId, status: snapshot.status };
      } catch (error) {
        throw toApiError(error);
      }
    },

    /**
     * Staff's decision on an individual in manual review (the kyc-decision route). Where the check runs in the
     * identity-verification child, the open verification's workflow id names it and the decision goes there;
     * otherwise (executions from before the child, or a child an operator ended) the onboarding decides itself,
     * refusing with 409 when it is not in review. Answers the onboarding once it shows the outcome.
     */
    async decideForCustomer(tenantId: string, customerId: string, decision: KycDecision) {
      const open = await db('kyc_verifications')
        .where({ tenant_id: tenantId, customer_id: customerId, subject_type: 'CUSTOMER', subject_id: customerId, status: 'MANUAL_REVIEW' })
        .whereNotNull('workflow_id')
        .first<{ workflow_id: string } | undefined>('workflow_id');
      if (!open) return onboarding.send(tenantId, customerId, decideKycUpdate, decision);
      try {
        await withDeadline(() => temporal.workflow.getHandle(open.workflow_id).executeUpdate(decideIdentityUpdate, { args: [decision] }));
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return onboarding.send(tenantId, customerId, decideKycUpdate, decision);
        throw toApiError(error);
      }
      return kycSettled(tenantId, customerId);
    },

    /**
     * Details a person supplied with the code their invitation e-mail carried. The code is checked, the check
     * must be waiting for details, and only then are the details stored (encrypted) and the workflow woken.
     * The same code again while the check still waits is accepted, so a request lost to an outage can repeat.
     */
    async supplyDetails(tenantId: string, customerId: string, subjectId: string, invitationCode: string, details: SuppliedDetails): Promise<IdentitySnapshot> {
      const customer = await db('customers').where({ tenant_id: tenantId, id: customerId }).first('id');
      if (!customer) throw new NotFoundError('Customer not found');
      const where = { tenant_id: tenantId, customer_id: customerId, subject_id: subjectId };
      const invitation = await db('identity_subject_details')
        .where(where)
        .first<{ invitation_code_hash: string | null; invitation_expires_at: Date | null } | undefined>('invitation_code_hash', 'invitation_expires_at');
      if (!invitation?.invitation_code_hash) throw new IdentityStateError('No invitation to supply details is outstanding for this person', 'NO_INVITATION');
      const given = Buffer.from(hashInvitationCode(codeHashKey, { tenantId, customerId, subjectId }, invitationCode));
      const stored = Buffer.from(invitation.invitation_code_hash);
      if (given.length !== stored.length || !timingSafeEqual(given, stored)) {
        throw new ValidationError([{ field: 'invitationCode', message: 'The code is not correct' }], 'Verification failed');
      }
      if (invitation.invitation_expires_at && invitation.invitation_expires_at.getTime() <= Date.now()) {
        throw new ValidationError([{ field: 'invitationCode', message: 'The invitation has expired' }], 'Verification failed');
      }

      const handle = temporal.workflow.getHandle(identityVerificationWorkflowId(tenantId, customerId, subjectId));
      try {
        const current = await withDeadline(() => handle.query(identitySnapshotQuery));
        if (current.status !== 'AWAITING_DETAILS') throw new IdentityStateError(`Cannot take details while the identity check is ${current.status}`, current.status);
        await db('identity_subject_details')
          .where(where)
          .update({
            details_encrypted: detailsCipher.encrypt(JSON.stringify(details), identityDetailsContext(tenantId, customerId, subjectId)),
            supplied_at: db.fn.now(),
          });
        return await withDeadline(() => handle.executeUpdate(identityDetailsUpdate));
      } catch (error) {
        throw toApiError(error);
      }
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
