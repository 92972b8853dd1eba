/**
 * The TPP-consent workflow's one write: at the grant's expiry, mark it EXPIRED. Only an ACTIVE row changes, so a
 * retry, a grant revoked meanwhile (the API wrote REVOKED) or a row that never committed is left as it is.
 */
import type { Knex } from '../common/db';

export function createTppConsentActivities({ db }: { db: Knex }) {
  return {
    async expireTppConsent({ tenantId, consentId }: { tenantId: string; consentId: string }): Promise<boolean> {
      const changed = await db('tpp_consents')
        .where({ tenant_id: tenantId, id: consentId, status: 'ACTIVE' })
        .update({ status: 'EXPIRED', expired_at: db.fn.now() });
      return changed === 1;
    },
  };
}
