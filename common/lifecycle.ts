/**
 * The customer's lifecycle, kept apart from what its onboarding still needs. Every customer (individual or
 * organization) is in one lifecycle status; while it is ONBOARDING its requirements say what the tenant must
 * send now, what is being checked and what failed, in the shape Stripe's `requirements` hash made familiar.
 * Flow-specific statuses (B2C's documented PENDING_* and KYC_* values, an organization's MANUAL_REVIEW) stay
 * what the API answers in `status`; `lifecycleOf` says which lifecycle status each one belongs to.
 */
export const LIFECYCLE_STATUSES = ['ONBOARDING', 'ACTIVE', 'REJECTED', 'EXPIRED', 'SUSPENDED', 'BLOCKED', 'CLOSED'] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

const AFTER_ONBOARDING: ReadonlySet<string> = new Set(LIFECYCLE_STATUSES.filter((status) => status !== 'ONBOARDING'));

/** Any flow's status → the lifecycle status it belongs to: everything before an outcome is ONBOARDING. */
export function lifecycleOf(status: string): LifecycleStatus {
  return AFTER_ONBOARDING.has(status) ? (status as LifecycleStatus) : 'ONBOARDING';
}

export interface RequirementError {
  /** The requirement that failed, e.g. `KYB`, `PERSON:pty_…:KYC`, `DOCUMENT:CERTIFICATE_OF_INCORPORATION`. */
  requirement: string;
  /** Why, in words a tenant can act on; never personal data. */
  reason: string;
}

export interface Requirements {
  /** What the tenant (or its customer) must provide now. */
  currentlyDue: string[];
  /** What has been provided and is being checked (by a provider or by staff). */
  pendingVerification: string[];
  /** What was checked and failed, with the reason. */
  errors: RequirementError[];
}

export const NO_REQUIREMENTS: Requirements = Object.freeze({ currentlyDue: [], pendingVerification: [], errors: [] }) as Requirements;
