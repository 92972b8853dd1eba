export { individualOnboarding } from './individual-onboarding';
export { organizationOnboarding } from './organization-onboarding';
