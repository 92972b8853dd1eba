/**
 * The body of POST /v2/customers/individual (source document 004) with every rule the body alone can settle; the
 * sections and their rules come from api/profiles/fields.ts, which PUT /v2/profile shares. Two rules need more
 * than the body and belong to the route: RELIANCE must be enabled for the tenant (else `relianceNotAvailable()`,
 * a 423), and the reference ids must exist (`ReferenceDataService.missingIds`).
 */
import { LockedError } from '../http/locked-error';
import { z } from '../http/openapi';
import { address, ADDRESS_MATCHES_RESIDENCE, basicInfo, fieldsParsed, financialProfile, metaData } from '../profiles/fields';

export { EMPLOYMENT_STATUSES, GENDERS, isLatin } from '../profiles/fields';
export const VERIFICATION_TYPES = ['STANDARD', 'RELIANCE'] as const;

/** The 423 the route answers when a tenant asks for RELIANCE verification without having it enabled. */
export const relianceNotAvailable = (): LockedError => new LockedError('RELIANCE is not available for your client');

export const individualV2Request = z
  .strictObject({
    verification_type: z.enum(VERIFICATION_TYPES),
    basic_info: basicInfo,
    address,
    financial_profile: financialProfile,
    meta_data: metaData.optional(),
  })
  .refine((body) => body.address.country === body.basic_info.country_of_residence, {
    path: ['address', 'country'],
    error: ADDRESS_MATCHES_RESIDENCE,
    when: fieldsParsed(['address', 'country'], ['basic_info', 'country_of_residence']),
  })
  .openapi('IndividualV2Request');

export type IndividualV2Request = z.output<typeof individualV2Request>;
