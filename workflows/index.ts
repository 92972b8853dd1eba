export { individualOnboarding } from './individual-onboarding';
export { businessVerification } from './business-verification';
export { identityVerification } from './identity-verification';
export { organizationOnboarding } from './organization-onboarding';
