/** An organization as a tenant would send it, and the steps of its onboarding, for organization tests. */
import { randomBytes } from 'node:crypto';

export function organization(overrides: Record<string, unknown> = {}): Record<string, any> {
  const suffix = randomBytes(5).toString('hex');
  return {
    businessName: `Test Company ${suffix}`,
    businessType: 'PRIVATE_LIMITED_COMPANY',
    registrationNumber: `REG-${suffix}`,
    countryOfIncorporation: 'GBR',
    dateOfIncorporation: '2015-06-30',
    industryType: 'J',
    contactEmail: `finance.${suffix}@example.com`,
    contactPhone: '+44 20 7946 0958',
    ...overrides,
  };
}
