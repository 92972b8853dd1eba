/** Profile completion of an individual (v2): the country of residence must be one the tenant operates in (SCT03). */
import { completeProfileUpdate, type OnboardingSnapshot, type ProfileDetails } from '../../common/onboarding-contract';
import type { OnboardingService } from '../onboarding/service';
import { refuseCountriesOutside, type CountryCheck } from '../tenancy/countries-of-operation';

export function createProfileService({ onboarding, countries }: { onboarding: Pick<OnboardingService, 'send'>; countries: CountryCheck }) {
  return {
    async complete(tenantId: string, customerId: string, profile: ProfileDetails): Promise<OnboardingSnapshot> {
      refuseCountriesOutside(await countries(tenantId, [{ field: 'country_of_residence', alpha3: profile.countryOfResidence }]));
      return onboarding.send(tenantId, customerId, completeProfileUpdate, profile);
    },
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;
