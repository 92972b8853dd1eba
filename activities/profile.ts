import type { Knex } from '../common/db';
import type { ProfileDetails } from '../common/onboarding-contract';

export interface SaveProfileInput {
  tenantId: string;
  customerId: string;
  profile: ProfileDetails;
  /** The rest of a v2 registration payload (financial profile, tax info …), kept as given. */
  details?: Record<string, unknown>;
}

/** Creates or replaces the customer's profile; replaying the same call leaves the same row. */
export async function saveProfileRow(db: Knex, { tenantId, customerId, profile, details }: SaveProfileInput): Promise<void> {
  await db('customer_profiles')
    .insert({
      customer_id: customerId,
      tenant_id: tenantId,
      date_of_birth: profile.dateOfBirth,
      nationality: profile.nationality,
      country_of_residence: profile.countryOfResidence,
      address: JSON.stringify(profile.address),
      details: details === undefined ? null : JSON.stringify(details),
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
