/**
 * A customer's status changes and KYC verifications, in two views. Tenants see outcomes only: who decided and
 * why (a provider's watchlist reason, a reviewer's note) would let a tenant tip off a customer under
 * investigation. Platform staff see everything.
 */
import type { Knex } from '../../common/db';

const iso = (value: Date | null) => (value ? value.toISOString() : null);

async function historyRows(db: Knex, tenantId: string, customerId: string) {
  const where = { tenant_id: tenantId, customer_id: customerId };
  const [statuses, verifications] = await Promise.all([
    db('customer_status_history').where(where).orderBy('id').select('status', 'reason', 'actor', 'created_at'),
    db('kyc_verifications').where(where).orderBy('created_at').select('id', 'provider', 'status', 'reason', 'reviewer', 'created_at', 'decided_at'),
  ]);
  return { statuses, verifications };
}

/** What the tenant reads at GET /v2/verification-history: statuses and verification outcomes, no reasons, no reviewer. */
export async function tenantVerificationHistory(db: Knex, tenantId: string, customerId: string) {
  const { statuses, verifications } = await historyRows(db, tenantId, customerId);
  return {
    statuses: statuses.map((s) => ({ status: s.status, at: iso(s.created_at) })),
    verifications: verifications.map((v) => ({
      verification_id: v.id, provider: v.provider, status: v.status, started_at: iso(v.created_at), decided_at: iso(v.decided_at),
    })),
  };
}

/**
 * What compliance staff read: the same history with every reason, who changed each status (`actor`: the tenant
 * credential or staff member; null where the onboarding moved it) and the reviewer of each decision.
 */
export async function staffVerificationHistory(db: Knex, tenantId: string, customerId: string) {
  const { statuses, verifications } = await historyRows(db, tenantId, customerId);
  return {
    statuses: statuses.map((s) => ({ status: s.status, reason: s.reason, actor: s.actor, at: iso(s.created_at) })),
    verifications: verifications.map((v) => ({
      verification_id: v.id, provider: v.provider, status: v.status, reason: v.reason, reviewer: v.reviewer,
      started_at: iso(v.created_at), decided_at: iso(v.decided_at),
    })),
  };
}
