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
 * common/tax-ids.ts) come from registration's staged secrets only, never from a workflow payload; a later
 * profile change leaves them as they are.
 */
export async function saveProfileRow(db: Knex, { tenantId, customerId, profile, details }: SaveProfileInput, taxIds?: SealedTaxIds): Promise<void> {
  await db('customer_profiles')
    .insert({
      customer_id: customerId,
      tenant_id: tenantId,
      date_of_birth: profile.dateOfBirth,
      nationality: profile.nationality,
      country_of_residence: profile.countryOfResidence,
      address: JSON.stringify(profile.address),
      details: details === undefined ? null : JSON.stringify(details),
      ...(taxIds ? { tax_ids_encrypted: taxIds.encrypted, tax_ids_masked: JSON.stringify(taxIds.masked) } : {}),
      updated_at: db.fn.now(),
    })
    .onConflict('customer_id')
    .merge();
}

export function createProfileActivities({ db }: { db: Knex }) {
  return {
    saveProfile: (input: SaveProfileInput) => saveProfileRow(db, input),
  };
}
