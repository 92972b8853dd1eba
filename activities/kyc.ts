/**
 * KYC through an external provider. Submission retries transient faults (the provider adapter throws plain
 * errors for 5xx and timeouts, non-retryable failures for 4xx); results arrive by webhook or by one poll.
 */
import countries from 'i18n-iso-countries';
import type { Knex } from '../common/db';
import type { KycProvider } from './kyc-provider';

type VerificationStatus = 'IN_PROGRESS' | 'MANUAL_REVIEW' | 'APPROVED' | 'REJECTED';

export function createKycActivities({ db, kycProvider }: { db: Knex; kycProvider: KycProvider }) {
  return {
    async openKycVerification({ tenantId, customerId, verificationId }: { tenantId: string; customerId: string; verificationId: string }) {
      await db('kyc_verifications')
        .insert({ id: verificationId, tenant_id: tenantId, customer_id: customerId, provider: kycProvider.name, status: 'IN_PROGRESS' })
        .onConflict('id')
        .ignore();
    },

    /** Sends the customer's identity to the provider; the verification id is the provider-side reference. */
    async submitKycCheck({ tenantId, customerId, verificationId }: { tenantId: string; customerId: string; verificationId: string }) {
      const person = await db('customers as c')
        .leftJoin('customer_profiles as p', 'p.customer_id', 'c.id')
        .where({ 'c.tenant_id': tenantId, 'c.id': customerId })
        .first<{ first_name: string; last_name: string; date_of_birth: string | null; country_of_residence: string | null }>(
          'c.first_name',
          'c.last_name',
          'p.date_of_birth',
          'p.country_of_residence',
        );
      const { checkId } = await kycProvider.submit({
        reference: verificationId,
        firstName: person.first_name,
        lastName: person.last_name,
        dateOfBirth: person.date_of_birth ?? undefined,
        country: person.country_of_residence ? countries.alpha3ToAlpha2(person.country_of_residence) : undefined,
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
        });
    },
  };
}
