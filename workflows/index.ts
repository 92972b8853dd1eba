export { individualOnboarding } from './individual-onboarding';
export { businessVerification } from './business-verification';
export { identityVerification } from './identity-verification';
export { organizationOnboarding } from './organization-onboarding';
export { customerPasswordReset } from './customer-password-reset';
export { webhookDelivery } from './webhook-delivery';
export { contactChange } from './contact-change';
