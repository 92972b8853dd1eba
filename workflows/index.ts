export { individualOnboarding } from './individual-onboarding';
export { businessVerification } from './business-verification';
