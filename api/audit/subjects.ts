/**
 * The tenant a staff call acted on when its path names only the object (a KYC or KYB decision, a document review,
 * a verification decision): read, by the id's prefix, from the table that owns that object. Tenant and customer
 * actors carry their tenant already; this runs for staff calls only, off the tenants' hot path.
 */
import type { Knex } from '../../common/db';

const OWNERS: Array<{ pattern: RegExp; table: string }> = [
  { pattern: /^(cust|org)_[0-9a-f]{24}$/, table: 'customers' },
  { pattern: /^doc_[0-9a-f]{24}$/, table: 'documents' },
  { pattern: /^ver_[0-9a-f]{32}$/, table: 'kyc_verifications' },
];

export function createSubjectTenants(db: Knex) {
  return async function tenantOfSubject(objectId: string): Promise<string | undefined> {
    const owner = OWNERS.find(({ pattern }) => pattern.test(objectId));
    if (!owner) return undefined;
    const row = await db(owner.table).select('tenant_id').where({ id: objectId }).first();
    return row?.tenant_id;
  };
}

export type SubjectTenants = ReturnType<typeof createSubjectTenants>;
