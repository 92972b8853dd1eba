export { individualOnboarding } from './individual-onboarding';
export { identityVerification } from './identity-verification';
