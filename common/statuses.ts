/**
 * Customer statuses, as the source documents name them. The onboarding workflow moves a customer through the
 * PENDING_* and KYC states; staff set SUSPENDED, BLOCKED and CLOSED after activation.
 */
export const CUSTOMER_STATUSES = [
  'PENDING_EMAIL_VERIFICATION',
  'PENDING_PHONE_VERIFICATION',
  'PENDING_PROFILE',
  'PENDING_CONSENTS',
  'PENDING_KYC',
  'KYC_IN_PROGRESS',
  'MANUAL_REVIEW',
  'KYC_APPROVED',
  'ACTIVE',
  'REJECTED',
  'EXPIRED',
  'SUSPENDED',
  'BLOCKED',
  'CLOSED',
] as const;

export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

/**
 * An organization's status: its lifecycle status, plus MANUAL_REVIEW (staff must decide) and APPROVED (every check
 * passed; the tenant may activate it) while it is onboarding. What is still due lives in its requirements.
 */
export const ORGANIZATION_STATUSES = ['ONBOARDING', 'MANUAL_REVIEW', 'APPROVED', 'ACTIVE', 'REJECTED', 'EXPIRED', 'SUSPENDED', 'BLOCKED', 'CLOSED'] as const;
export type OrganizationStatus = (typeof ORGANIZATION_STATUSES)[number];

/** The company's own check (KYB) as the API reports it. */
export const KYB_STATUSES = ['NOT_STARTED', 'IN_PROGRESS', 'MANUAL_REVIEW', 'APPROVED', 'REJECTED'] as const;
export type KybStatus = (typeof KYB_STATUSES)[number];

export const CUSTOMER_TYPES = ['INDIVIDUAL', 'ORGANIZATION'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

export const TENANT_TIERS = ['STARTER', 'PROFESSIONAL', 'ENTERPRISE', 'CUSTOM'] as const;
export type TenantTier = (typeof TENANT_TIERS)[number];
