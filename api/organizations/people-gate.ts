/**
 * Whether an organization's people and owners may still change. Directors and UBOs are the subjects KYB and the
 * identity checks verify: once those checks have started, adding or removing one would leave a verified picture
 * that is no longer the organization's, so changes are refused (409 INVALID_STATE).
 *
 * The rule reads organization_profiles.kyb_status: people may change while KYB has NOT_STARTED (and the
 * organization is still ONBOARDING). KYB starts (activities/organization-kyb.ts) by setting kyb_status under the
 * same row lock every change takes, so a change and the start are checked one after the other: a change either
 * lands before KYB snapshots who to verify, or is refused.
 */
import type { Knex } from '../../common/db';
import { ApiError } from '../http/errors';

/** A refusal names what stopped it: the organization's status, or (while it is ONBOARDING) its KYB status. */
export type PeopleChangeVerdict = { allowed: true } | { allowed: false; field: 'status' | 'kybStatus'; value: string };

/** Call inside the transaction that holds the organization's row lock, so the answer stays true until commit. */
export async function peopleMayChange(db: Knex, tenantId: string, organizationId: string): Promise<PeopleChangeVerdict> {
  const row = await db('customers as c')
    .join('organization_profiles as p', function joinProfile() {
      this.on('p.tenant_id', 'c.tenant_id').andOn('p.customer_id', 'c.id');
    })
    .where({ 'c.tenant_id': tenantId, 'c.id': organizationId, 'c.type': 'ORGANIZATION' })
    .first<{ status: string; kyb_status: string } | undefined>('c.status', 'p.kyb_status');
  if (row?.status === 'ONBOARDING' && row.kyb_status === 'NOT_STARTED') return { allowed: true };
  if (row?.status === 'ONBOARDING') return { allowed: false, field: 'kybStatus', value: row.kyb_status };
  return { allowed: false, field: 'status', value: row?.status ?? 'UNKNOWN' };
}

export class PeopleLockedError extends ApiError {
  constructor({ field, value }: { field: string; value: string }) {
    super(409, 'INVALID_STATE', 'The organization\'s people and owners can no longer change: its verification has started or ended', [
      { field, message: value },
    ]);
  }
}
