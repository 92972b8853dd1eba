/**
 * The start of an organization's KYB, atomically: under the organization's row lock (the one every change of its
 * people takes, see api/organizations/people-gate.ts) check what KYB needs from the tables, set
 * organization_profiles.kyb_status = IN_PROGRESS and snapshot who must be verified. A change of people either
 * committed before (and is in the snapshot) or is refused after. The tables are the authority: the workflow learns
 * of people and documents only here, when KYB is asked for, so no route has to notify it of each change.
 */
import type { KybCompany } from '../common/kyb-contract';
import type { KybStart } from '../common/organization-contract';
import { dueBeforeKyb, type KybReadinessDeps } from '../api/organizations/kyb-readiness';
import type { OrganizationPeopleService } from '../api/organizations/people-service';

export function createOrganizationKybActivities(deps: KybReadinessDeps & { people: OrganizationPeopleService }) {
  const { db, people } = deps;
  return {
    /**
     * With `start`, begins KYB when nothing is due; otherwise (or when something is due) only answers what is due
     * and writes nothing. Idempotent: a retry after the commit finds KYB started and answers the same persons (the
     * gate has refused every change since).
     */
    async beginKyb({ tenantId, organizationId, start }: { tenantId: string; organizationId: string; start: boolean }): Promise<KybStart> {
      return db.transaction(async (trx) => {
        // The customers row first, as every change of people locks it (the same order: no deadlock).
        await trx('customers').where({ tenant_id: tenantId, id: organizationId }).forUpdate().first('id');
        const profile = await trx('organization_profiles')
          .where({ tenant_id: tenantId, customer_id: organizationId })
          .first<{ kyb_status: string } | undefined>('kyb_status');
        if (!profile) throw new Error('Organization profile not found');
        const alreadyStarted = profile.kyb_status === 'IN_PROGRESS';
        const due = alreadyStarted ? [] : await dueBeforeKyb(deps, tenantId, organizationId, trx);
        if (due.length > 0 || !start) return { due, persons: [] };
        if (!alreadyStarted) {
          await trx('organization_profiles')
            .where({ tenant_id: tenantId, customer_id: organizationId, kyb_status: 'NOT_STARTED' })
            .update({ kyb_status: 'IN_PROGRESS', updated_at: trx.fn.now() });
        }
        return { due: [], persons: await people.verificationSubjects(tenantId, organizationId, trx) };
      });
    },

    /** The company as the tenant registered it, for the KYB child's (encrypted) input. */
    async kybCompany({ tenantId, organizationId }: { tenantId: string; organizationId: string }): Promise<KybCompany> {
      const row = await db('organization_profiles')
        .where({ tenant_id: tenantId, customer_id: organizationId })
        .first<{ business_name: string; registration_number: string; country_of_incorporation: string }>(
          'business_name',
          'registration_number',
          'country_of_incorporation',
        );
      return { legalName: row.business_name, registrationNumber: row.registration_number, countryOfIncorporation: row.country_of_incorporation };
    },
  };
}
