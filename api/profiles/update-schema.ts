/**
 * The body of PUT /v2/profile/{profileId}: any of seed 004's sections, with the rules registration applies
 * (./fields.ts). basic_info's fields are each optional (the rest stay as stored); address, financial_profile and
 * meta_data are replaced whole. Rules that need the stored profile (the resulting address and residence agree, a
 * field the onboarding still needs) are the service's.
 */
import { z } from '../http/openapi';
import { address, ADDRESS_MATCHES_RESIDENCE, basicInfoUpdate, fieldsParsed, financialProfile, metaData } from './fields';

/** The body this route took before seed 004's names: named so a client still sending it learns what to send. */
const LEGACY_FIELDS: Record<string, string> = {
  nationality: 'basic_info.primary_nationality',
  dob: 'basic_info.dob',
  country_of_residence: 'basic_info.country_of_residence',
};

export const profileUpdateRequest = z
  .strictObject({
    basic_info: basicInfoUpdate.optional(),
    address: address.optional(),
    financial_profile: financialProfile.optional(),
    meta_data: metaData.optional(),
  })
  .superRefine((body, ctx) => {
    if (Object.keys(body).length === 0) {
      ctx.addIssue({ code: 'custom', path: [], message: 'Give at least one of basic_info, address, financial_profile, meta_data' });
    }
  })
  .refine((body) => !body.basic_info?.country_of_residence || !body.address || body.address.country === body.basic_info.country_of_residence, {
    path: ['address', 'country'],
    error: ADDRESS_MATCHES_RESIDENCE,
    when: fieldsParsed(['address', 'country'], ['basic_info', 'country_of_residence']),
  })
  .openapi('ProfileUpdateRequest');

/**
 * The route's body: the request above, refused with a clear word when it carries the old top-level fields
 * (`nationality` …) this route took before seed 004's names.
 */
export const profileUpdateBody = z.preprocess((value, ctx) => {
  if (typeof value === 'object' && value !== null) {
    for (const [legacy, now] of Object.entries(LEGACY_FIELDS)) {
      if (legacy in value) ctx.issues.push({ code: 'custom', path: [legacy], message: `Unknown field: seed 004 names it ${now}`, input: value });
    }
  }
  return value;
}, profileUpdateRequest);

export type ProfileUpdate = z.output<typeof profileUpdateRequest>;
