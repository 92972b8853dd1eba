import type { Knex } from '../common/db';
import type { ConsentGiven } from '../common/onboarding-contract';

export function createConsentActivities({ db }: { db: Knex }) {
  return {
    /** Records that the customer accepted this version of a policy text; a retry finds it already there. */
    async saveConsent({ tenantId, customerId, consent }: { tenantId: string; customerId: string; consent: ConsentGiven }) {
      await db('consents')
        .insert({
          tenant_id: tenantId,
          customer_id: customerId,
          type: consent.type,
          version: consent.version,
          ip_address: consent.ipAddress ?? null,
          user_agent: consent.userAgent ?? null,
        })
        .onConflict(['customer_id', 'type', 'version'])
        .ignore();
    },
  };
}
