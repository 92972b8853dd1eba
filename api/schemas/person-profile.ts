/**
 * A person's profile as PUT /v2/profile takes it (an individual completing their onboarding) and as a director
 * or UBO supplies it for their identity check: date of birth, nationality, residence and address, checked with
 * the shared field rules.
 */
import { z } from '../http/openapi';
import { adultDateOfBirth, countryCode, freeText, subdivisionCode } from './customer-fields';

export const profileBody = z
  .strictObject({
    dob: adultDateOfBirth,
    nationality: countryCode,
    country_of_residence: countryCode,
    address: z.strictObject({
      street_line_1: freeText(200),
      street_line_2: freeText(200).optional(),
      city: freeText(200),
      postal_code: z.string().trim().min(1).max(20),
      subdivision_code: subdivisionCode.optional(),
      country: countryCode,
    }),
  })
  .refine((p) => p.address.country === p.country_of_residence, {
    path: ['address', 'country'],
    message: 'Must match country_of_residence',
  })
  .openapi('ProfileUpdate');
