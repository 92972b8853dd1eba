/**
 * KYB of an organization through the external provider: the registry lookup, the check's submission (transient
 * faults retried by Temporal, refusals not), one poll, and the verification row's outcome. Every write names its
 * tenant and is idempotent under retries (keyed by the verification id the workflow chose).
 */
import countries from 'i18n-iso-countries';
import type { Knex } from '../common/db';
import type { KybCompany, KybRegistryFindings, KybVerificationStatus } from '../common/kyb-contract';
import type { KybProvider } from './kyb-provider';
import { recordEvents } from '../api/webhooks/emit';
import type { WebhookWake } from '../api/webhooks/outbox';

interface VerificationRef {
  tenantId: string;
  verificationId: string;
}

export function createKybActivities({ db, kybProvider, webhookWake }: { db: Knex; kybProvider: KybProvider; webhookWake: WebhookWake }) {
  const row = ({ tenantId, verificationId }: VerificationRef) => db('kyb_verifications').where({ id: verificationId, tenant_id: tenantId });

  return {
    async openKybVerification({ tenantId, organizationId, verificationId }: VerificationRef & { organizationId: string }) {
      await db('kyb_verifications')
        .insert({ id: verificationId, tenant_id: tenantId, customer_id: organizationId, provider: kybProvider.name, status: 'IN_PROGRESS' })
        .onConflict('id')
        .ignore();
    },

    /** Asks the registry about the company and keeps its answer on the row, without officers' names. */
    async lookUpCompanyRegistry(input: VerificationRef & { company: KybCompany }): Promise<KybRegistryFindings> {
      const { company } = input;
      const findings = await kybProvider.lookUpCompany({
        registrationNumber: company.registrationNumber,
        country: alpha2(company.countryOfIncorporation),
        name: company.legalName,
      });
      const stored = {
        found: findings.found,
        registeredName: findings.registeredName ?? null,
        registrationStatus: findings.registrationStatus ?? null,
        officerCount: findings.officers.length,
      };
      await row(input).update({ registry_findings: JSON.stringify(stored) });
      return findings;
    },

    /** The verification id is the provider-side reference: a retried submit answers the same check. */
    async submitKybCheck(input: VerificationRef & { company: KybCompany }) {
      const { company } = input;
      const { checkId } = await kybProvider.submit({
        reference: input.verificationId,
        businessName: company.legalName,
        registrationNumber: company.registrationNumber,
        country: alpha2(company.countryOfIncorporation),
      });
      await row(input).update({ check_id: checkId });
      return { checkId };
    },

    async fetchKybResult({ checkId }: { checkId: string }) {
      return kybProvider.fetch(checkId);
    },

    /**
     * Moves the verification to its outcome, once: a retry finds it there and writes (and emits) nothing. An
     * outcome (APPROVED, REJECTED, MANUAL_REVIEW) records kyb.completed in the same transaction.
     */
    async recordKybOutcome(
      input: VerificationRef & { status: KybVerificationStatus; reason?: string; reviewer?: string; decidedBy?: string; decidedAt?: string },
    ) {
      const final = input.status === 'APPROVED' || input.status === 'REJECTED';
      const subscriptionIds = await db.transaction(async (trx) => {
        const moved = await trx('kyb_verifications')
          .where({ id: input.verificationId, tenant_id: input.tenantId })
          .whereNot({ status: input.status })
          .update(
            {
              status: input.status,
              reason: input.reason ?? null,
              reviewer: input.reviewer ?? null,
              decided_by: input.decidedBy ?? null,
              decided_at: final ? (input.decidedAt ?? trx.fn.now()) : null,
              // Only on a move (the where above): how long a check has waited in MANUAL_REVIEW counts from here.
              status_changed_at: trx.fn.now(),
            },
            ['customer_id'],
          );
        if (moved.length === 0 || input.status === 'IN_PROGRESS') return [];
        const customerId = (moved[0] as { customer_id: string }).customer_id;
        return recordEvents(trx, [
          {
            tenantId: input.tenantId,
            subjectId: customerId,
            type: 'kyb.completed',
            data: { customerId, customerType: 'ORGANIZATION', outcome: input.status },
          },
        ]);
      });
      await webhookWake(input.tenantId, subscriptionIds);
    },
  };
}

/** The vendor takes alpha-2; an unknown code goes as given and the vendor's refusal sends KYB to manual review. */
function alpha2(alpha3: string): string {
  return countries.alpha3ToAlpha2(alpha3) ?? alpha3;
}
