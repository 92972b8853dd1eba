import type { Knex } from '../common/db';
import type { ProfileDetails } from '../common/onboarding-contract';
import type { SealedTaxIds } from '../common/tax-ids';

export interface SaveProfileInput {
  tenantId: string;
  customerId: string;
  profile: ProfileDetails;
  /** The rest of a v2 registration payload (financial profile, meta data …), kept as given. */
  details?: Record<string, unknown>;
}

/**
 * Creates or replaces the customer's profile; replaying the same call leaves the same row. `taxIds` (sealed by
 * common/tax-ids.ts) never come from a workflow payload: registration's staged secrets, or the edge's own write
 * for an active customer (api/profiles/service.ts); a change without them leaves them as they are. The seed-004
 * details and names come with the profile itself when PUT /v2/profile gave them (`profile.details`, `profile.names`).
 */
export async function saveProfileRow(db: Knex, { tenantId, customerId, profile, details }: SaveProfileInput, taxIds?: SealedTaxIds): Promise<void> {
  const { details: given, names, ...columns } = profile;
  const stored = details ?? given;
  await db('customer_profiles')
    .insert({
      customer_id: customerId,
      tenant_id: tenantId,
      date_of_birth: columns.dateOfBirth,
      nationality: columns.nationality,
      country_of_residence: columns.countryOfResidence,
      address: JSON.stringify(columns.address),
      details: stored === undefined ? null : JSON.stringify(stored),
      ...(taxIds ? { tax_ids_encrypted: taxIds.encrypted, tax_ids_masked: JSON.stringify(taxIds.masked) } : {}),
      updated_at: db.fn.now(),
    })
    .onConflict('customer_id')
    .merge();
  if (names) {
    await db('customers').where({ tenant_id: tenantId, id: customerId }).update({ first_name: names.firstName, last_name: names.lastName, updated_at: db.fn.now() });
  }
}

/** Replaces the sealed tax ids of a profile that exists (PUT /v2/profile during the onboarding, after the workflow saved it). */
export async function saveTaxIdsRow(db: Knex, tenantId: string, customerId: string, taxIds: SealedTaxIds): Promise<void> {
  await db('customer_profiles')
    .where({ tenant_id: tenantId, customer_id: customerId })
    .update({ tax_ids_encrypted: taxIds.encrypted, tax_ids_masked: JSON.stringify(taxIds.masked), updated_at: db.fn.now() });
}

/** Keeps the stored seed-004 details in step with a contact swapped in `customers` (a completed contact change). */
export async function setContactInDetails(db: Knex, tenantId: string, customerId: string, field: 'email' | 'phone', value: string): Promise<void> {
  await db('customer_profiles')
    .where({ tenant_id: tenantId, customer_id: customerId })
    .whereRaw("details -> 'basic_info' is not null")
    .update({ details: db.raw(`jsonb_set(details, ?, to_jsonb(?::text))`, [`{basic_info,${field}}`, value]), updated_at: db.fn.now() });
}

export type ProfileChangeSource = 'PROFILE_UPDATE' | 'CONTACT_CHANGE';

/** One row of `profile_changes`: the dotted names of the fields that changed, who changed them; never the values. */
export async function recordProfileChange(
  db: Knex,
  change: { tenantId: string; customerId: string; fields: string[]; source: ProfileChangeSource; actor: string },
): Promise<void> {
  if (change.fields.length === 0) return;
  await db('profile_changes').insert({
    tenant_id: change.tenantId,
    customer_id: change.customerId,
    fields: change.fields,
    source: change.source,
    actor: change.actor,
  });
}

export function createProfileActivities({ db }: { db: Knex }) {
  return {
    saveProfile: (input: SaveProfileInput) => db.transaction((trx) => saveProfileRow(trx, input)),
  };
}
