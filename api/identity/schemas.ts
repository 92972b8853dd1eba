/** Request schemas of the identity-verification routes. */
import { z } from '../http/openapi';
import { subdivisionInCountry } from '../profiles/fields';
import { adultDateOfBirth, countryCode, freeText, personName, subdivisionCode } from '../schemas/customer-fields';

const idMatching = (pattern: RegExp, description: string, example: string) =>
  z.string().regex(pattern, `Must be ${description}`).openapi({ example });

/** The onboarding customer: an individual or an organization. */
export const onboardingCustomerId = idMatching(/^(cust|org)_[0-9a-f]{24}$/, 'a cust_ or org_ id (prefix and 24 lowercase hex digits)', 'org_0f4c2a9b7d1e3f5a6b8c9d0e');
/** Whose identity: the customer itself (cust_/org_ for its representative) or a party of an organization (pty_). */
export const subjectId = idMatching(/^(cust|org|pty)_[0-9a-f]{24}$/, 'a cust_, org_ or pty_ id (prefix and 24 lowercase hex digits)', 'pty_5b0e8c1f2a7d94e3c6b10a2f');
export const verificationId = idMatching(/^ver_[0-9a-f]{32}$/, 'a ver_ id (ver_ and 32 lowercase hex digits)', 'ver_0f4c2a9b7d1e3f5a6b8c9d0e1f2a3b4c');

/**
 * A director's or UBO's profile for their identity check: date of birth, nationality, residence and address, with
 * the field rules and the address rule (a subdivision of the address's country) of seed 004's sections.
 */
const personProfileBody = z
  .strictObject({
    dob: adultDateOfBirth,
    nationality: countryCode,
    country_of_residence: countryCode,
    address: subdivisionInCountry(
      z.strictObject({
        street_line_1: freeText(200),
        street_line_2: freeText(200).optional(),
        city: freeText(200),
        postal_code: z.string().trim().min(1).max(20),
        subdivision_code: subdivisionCode.optional(),
        country: countryCode,
      }),
    ),
  })
  .refine((p) => p.address.country === p.country_of_residence, {
    path: ['address', 'country'],
    message: 'Must match country_of_residence',
  })
  .openapi('PersonProfile');

export const personDetailsBody = z
  .strictObject({
    invitationCode: z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}$/, 'Must be the 12-character code from the invitation e-mail')
      .openapi({ example: 'K7Q2-9MXD-4TRB' }),
    firstName: personName.optional(),
    lastName: personName.optional(),
    profile: personProfileBody,
  })
  .openapi('PersonDetails');

export const staffDecisionBody = z.strictObject({
  decision: z.enum(['APPROVE', 'REJECT']),
  reason: z.string().trim().min(3, 'Give the reason for the decision').max(2000),
});
