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

/** The identity check is not at the step the action needs (or has ended). */
export class IdentityStateError extends ApiError {
  constructor(message: string, status: string) {
    super(409, 'INVALID_STATE', message, [{ field: 'status', message: status }]);
  }
}

interface VerificationRoute {
  tenantId: string;
  customerId: string;
  /** The child's id, or absent for an individual's own check. */
  workflowId?: string;
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

  return {
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
