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

export function representative(overrides: Record<string, unknown> = {}) {
  return { firstName: 'Grace', lastName: 'Hopper', email: `grace.${randomBytes(5).toString('hex')}@example.com`, ...overrides };
}

/** The v2.1 registration body: the company, its representative and the captcha. */
export function organizationRegistration(overrides: Record<string, unknown> = {}): Record<string, any> {
  return { ...organization(), representative: representative(), captcha: '03AGdBq26FHIOiuI9', ...overrides };
}
