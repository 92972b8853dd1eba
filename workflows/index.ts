export { individualOnboarding } from './individual-onboarding';
