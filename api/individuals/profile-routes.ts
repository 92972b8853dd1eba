/** v2 profile completion: the profile an individual registered without (date of birth, nationality, address). */
import { tenantOf } from '../auth/guards';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { customerId } from '../schemas/params';
import { profileBody } from '../schemas/person-profile';
import type { ProfileService } from './profile';

export function mountProfileRoutes(mount: Mount, profiles: ProfileService) {
  mountRoute(mount, {
    method: 'put',
    path: '/v2/profile/{profileId}',
    summary: "Complete or update an individual's profile (the profile id is the customer id)",
    tag: 'Profiles',
    security: 'tenant',
    capability: 'SCT01',
    params: z.object({ profileId: customerId }),
    body: profileBody,
    responses: {
      200: { description: 'Profile saved; the onboarding moved on' },
      400: { description: "Invalid input, or a country of residence outside the tenant's countries of operation" },
      404: { description: 'No such customer for this tenant' },
      409: { description: 'Too early (contact details not verified) or too late (KYC started)' },
    },
    handler: async ({ params, body, req }) => {
      const { address: a } = body;
      const snapshot = await profiles.complete(tenantOf(req), params.profileId, {
        dateOfBirth: body.dob,
        nationality: body.nationality,
        countryOfResidence: body.country_of_residence,
        address: { line1: a.street_line_1, line2: a.street_line_2, city: a.city, postalCode: a.postal_code, subdivisionCode: a.subdivision_code, country: a.country },
      });
      return { status: 200, body: { profileId: params.profileId, status: snapshot.status, due: snapshot.due } };
    },
  });
}
