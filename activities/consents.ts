/**
 * The one writer of `consents`: a consent is recorded when given (by the onboarding workflow, or after it by the
 * API) and marked withdrawn when taken back; its row is never deleted. A version is accepted at most once while in
 * force (a partial unique index), so a retry finds it already there and a re-acceptance after a withdrawal adds a row.
 * MARKETING also moves `customers.marketing_consent`, the registration-time flag, so the two never disagree.
 */
import type { Knex } from '../common/db';
import type { ConsentGiven } from '../common/onboarding-contract';
import type { ConsentType } from '../common/onboarding-policy';

export interface ConsentRow {
  id: string;
  type: ConsentType;
  version: string;
  accepted_at: Date;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
  withdrawal_reason: string | null;
}

/** The version a registration-time marketing flag is recorded under when it is withdrawn without a consent row. */
export const REGISTRATION_VERSION = 'registration';

const CONSENT_COLUMNS = ['id', 'type', 'version', 'accepted_at', 'withdrawn_at', 'withdrawn_by', 'withdrawal_reason'] as const;

/** Records an acceptance, inside the caller's transaction; an acceptance of the same version in force is left alone. */
export async function recordConsent(trx: Knex.Transaction, { tenantId, customerId, consent }: { tenantId: string; customerId: string; consent: ConsentGiven }) {
  await trx('consents')
    .insert({
      tenant_id: tenantId,
      customer_id: customerId,
      type: consent.type,
      version: consent.version,
      ip_address: consent.ipAddress ?? null,
      user_agent: consent.userAgent ?? null,
    })
    .onConflict(trx.raw('(customer_id, type, version) where withdrawn_at is null'))
    .ignore();
  if (consent.type === 'MARKETING') {
    await trx('customers').where({ tenant_id: tenantId, id: customerId }).update({ marketing_consent: true, updated_at: trx.fn.now() });
  }
}

/** The consents of this type in force (not withdrawn), newest first. */
export function consentsInForce(trx: Knex | Knex.Transaction, tenantId: string, customerId: string, type: ConsentType): Promise<ConsentRow[]> {
  return trx('consents')
    .where({ tenant_id: tenantId, customer_id: customerId, type })
    .whereNull('withdrawn_at')
    .orderBy('id', 'desc')
    .select(...CONSENT_COLUMNS);
}

/** The types with an acceptance in force. */
export function typesInForce(trx: Knex | Knex.Transaction, tenantId: string, customerId: string): Promise<ConsentType[]> {
  return trx('consents').where({ tenant_id: tenantId, customer_id: customerId }).whereNull('withdrawn_at').distinct().pluck('type');
}

export interface Withdrawal {
  tenantId: string;
  customerId: string;
  type: ConsentType;
  /** api/auth/actor.ts `actorLabel` of whoever asked. */
  actor: string;
  reason?: string;
}

/**
 * Marks every acceptance of `type` in force withdrawn (the rows stay), inside the caller's transaction, and answers
 * the newest. A MARKETING consent given only as the registration flag (no row) is first recorded under
 * REGISTRATION_VERSION, accepted when the customer registered, so its withdrawal has a record too. Undefined when
 * nothing of the type is in force.
 */
export async function withdrawConsent(trx: Knex.Transaction, { tenantId, customerId, type, actor, reason }: Withdrawal): Promise<ConsentRow | undefined> {
  if (type === 'MARKETING') {
    const customer = await trx('customers').where({ tenant_id: tenantId, id: customerId }).first<{ marketing_consent: boolean; created_at: Date }>('marketing_consent', 'created_at');
    const inForce = await consentsInForce(trx, tenantId, customerId, type);
    if (customer?.marketing_consent && inForce.length === 0) {
      await trx('consents').insert({ tenant_id: tenantId, customer_id: customerId, type, version: REGISTRATION_VERSION, accepted_at: customer.created_at });
    }
    await trx('customers').where({ tenant_id: tenantId, id: customerId }).update({ marketing_consent: false, updated_at: trx.fn.now() });
  }
  const withdrawn: ConsentRow[] = await trx('consents')
    .where({ tenant_id: tenantId, customer_id: customerId, type })
    .whereNull('withdrawn_at')
    .update({ withdrawn_at: trx.fn.now(), withdrawn_by: actor, withdrawal_reason: reason ?? null }, [...CONSENT_COLUMNS]);
  return withdrawn.sort((a, b) => Number(b.id) - Number(a.id))[0];
}

export function createConsentActivities({ db }: { db: Knex }) {
  return {
    /** Records that the customer accepted this version of a policy text; a retry finds it already there. */
    async saveConsent({ tenantId, customerId, consent }: { tenantId: string; customerId: string; consent: ConsentGiven }) {
      await db.transaction((trx) => recordConsent(trx, { tenantId, customerId, consent }));
    },
  };
}
