/**
 * KYC through an external provider. Submission retries transient faults (the provider adapter throws plain
 * errors for 5xx and timeouts, non-retryable failures for 4xx); results arrive by webhook or by polling.
 *
 * A check is about a subject: by default the onboarding customer itself (the individual's own check, whose
 * callbacks go to its onboarding workflow); an identity-verification child names its subject and its own
 * workflow id, which the callback route and staff decisions use to reach it.
 */
import countries from 'i18n-iso-countries';
import type { SubjectRef } from '../common/identity-contract';
import type { Knex } from '../common/db';
import type { SubjectResolver } from './identity-subjects';
import type { KycProvider } from './kyc-provider';

type VerificationStatus = 'IN_PROGRESS' | 'MANUAL_REVIEW' | 'APPROVED' | 'REJECTED';

interface CheckInput {
  tenantId: string;
  customerId: string;
  verificationId: string;
  /** Absent: the onboarding customer, checked by its own onboarding workflow. */
  subject?: SubjectRef;
}

export function createKycActivities({ db, kycProvider, subjects }: { db: Knex; kycProvider: KycProvider; subjects: SubjectResolver }) {
  return {
    async openKycVerification({ tenantId, customerId, verificationId, subject, workflowId }: CheckInput & { workflowId?: string }) {
      await db('kyc_verifications')
        .insert({
          id: verificationId,
          tenant_id: tenantId,
          customer_id: customerId,
          provider: kycProvider.name,
          status: 'IN_PROGRESS',
          ...(subject && workflowId ? { subject_type: subject.type, subject_id: subject.id, workflow_id: workflowId } : {}),
        })
        .onConflict('id')
        .ignore();
    },

    /** Sends the subject's identity to the provider; the verification id is the provider-side reference. */
    async submitKycCheck({ tenantId, customerId, verificationId, subject }: CheckInput) {
      const person = await subjects.resolve(tenantId, customerId, subject ?? { type: 'CUSTOMER', id: customerId });
      const { checkId } = await kycProvider.submit({
        reference: verificationId,
        firstName: person.firstName ?? '',
        lastName: person.lastName ?? '',
        dateOfBirth: person.dateOfBirth,
        country: person.countryOfResidence ? countries.alpha3ToAlpha2(person.countryOfResidence) : undefined,
      });
      await db('kyc_verifications').where({ id: verificationId, tenant_id: tenantId }).update({ check_id: checkId });
      return { checkId };
    },

    async fetchKycResult({ checkId }: { checkId: string }) {
      return kycProvider.fetch(checkId);
    },

    async recordKycOutcome(input: { tenantId: string; verificationId: string; status: VerificationStatus; reason?: string; reviewer?: string }) {
      await db('kyc_verifications')
        .where({ id: input.verificationId, tenant_id: input.tenantId })
        .update({
          status: input.status,
          reason: input.reason ?? null,
          reviewer: input.reviewer ?? null,
          decided_at: input.status === 'APPROVED' || input.status === 'REJECTED' ? db.fn.now() : null,
          // A retried activity recording the same status keeps when the check entered it (the queue's wait).
          status_changed_at: db.raw('case when status = ? then status_changed_at else now() end', [input.status]),
        });
    },
  };
}
