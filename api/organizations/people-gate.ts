/**
 * Whether an organization's people and owners may still change. Directors and UBOs are the subjects KYB and the
 * identity checks verify: once those checks have started, adding or removing one would leave a verified picture
 * that is no longer the organization's, so changes are refused (409 INVALID_STATE).
 *
 * For now the rule reads the organization's `customers` row: it must be an ORGANIZATION still in ONBOARDING.
 * When the organization workflow lands, this is the one place to rewire to its state (KYB not started).
 */
import type { Knex } from '../../common/db';
import { ApiError } from '../http/errors';

export type PeopleChangeVerdict = { allowed: true } | { allowed: false; status: string };

/** Call inside the transaction that holds the organization's row lock, so the answer stays true until commit. */
export async function peopleMayChange(db: Knex, tenantId: string, organizationId: string): Promise<PeopleChangeVerdict> {
  const row = await db('customers')
    .where({ tenant_id: tenantId, id: organizationId, type: 'ORGANIZATION' })
    .first<{ status: string } | undefined>('status');
  if (row?.status === 'ONBOARDING') return { allowed: true };
  return { allowed: false, status: row?.status ?? 'UNKNOWN' };
}

export class PeopleLockedError extends ApiError {
  constructor(status: string) {
    super(409, 'INVALID_STATE', 'The organization\'s people and owners can no longer change: its verification has started or ended', [
      { field: 'status', message: status },
    ]);
  }
}
