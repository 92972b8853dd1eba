/** v2 profile completion: the profile an individual registered without (date of birth, nationality, address). */
import countries from 'i18n-iso-countries';
import { completeProfileUpdate } from '../../common/onboarding-contract';
import { tenantOf } from '../auth/guards';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { customerId } from '../schemas/params';
import type { OnboardingService } from '../onboarding/service';

const alpha3 = z.string().refine((code) => countries.isValid(code) && code.length === 3 && code === code.toUpperCase(), 'Must be an ISO 3166-1 alpha-3 country code');
const line = z.string().trim().min(1, 'Must not be empty').max(200);

const isAdult = (dob: string) => {
  const date = new Date(`${dob}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== dob) return false;
  const eighteen = new Date(date);
  eighteen.setUTCFullYear(date.getUTCFullYear() + 18);
  return eighteen.getTime() <= Date.now();
};

export const profileBody = z
  .strictObject({
    dob: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Must be a date, YYYY-MM-DD').refine(isAdult, 'Must be a real date of an adult (18 or older)'),
    nationality: alpha3,
    country_of_residence: alpha3,
    address: z.strictObject({
      street_line_1: line,
      street_line_2: line.optional(),
      city: line,
      postal_code: z.string().trim().min(1).max(20),
      subdivision_code: z.string().regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, 'Must be an ISO 3166-2 code, e.g. US-CA').optional(),
      country: alpha3,
    }),
  })
  .refine((p) => p.address.country === p.country_of_residence, {
    path: ['address', 'country'],
    message: 'Must match country_of_residence',
  })
  .openapi('ProfileUpdate');

export function mountProfileRoutes(mount: Mount, onboarding: OnboardingService) {
  mountRoute(mount, {
    method: 'put',
    path: '/v2/profile/{profileId}',
    summary: "Complete or update an individual's profile (the profile id is the customer id)",
    tag: 'Profiles',
    security: 'tenant',
    params: z.object({ profileId: customerId }),
    body: profileBody,
    responses: {
      200: { description: 'Profile saved; the onboarding moved on' },
      400: { description: 'Invalid input' },
      404: { description: 'No such customer for this tenant' },
      409: { description: 'Too early (contact details not verified) or too late (KYC started)' },
    },
    handler: async ({ params, body, req }) => {
      const { address: a } = body;
      const snapshot = await onboarding.send(tenantOf(req), params.profileId, completeProfileUpdate, {
        dateOfBirth: body.dob,
        nationality: body.nationality,
        countryOfResidence: body.country_of_residence,
        address: { line1: a.street_line_1, line2: a.street_line_2, city: a.city, postalCode: a.postal_code, subdivisionCode: a.subdivision_code, country: a.country },
      });
      return { status: 200, body: { profileId: params.profileId, status: snapshot.status, due: snapshot.due } };
    },
  });
}
