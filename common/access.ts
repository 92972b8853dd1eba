/**
 * Who may do what. Capability codes (seed 001) gate tenant routes by subscription tier; staff roles gate the
 * back-office routes. One place so the API, the docs and the tests read the same table.
 */
import type { TenantTier } from './statuses';

/** SCT01 B2C, SCT02 B2B, SCT11 documents, SCT12 TPP (seed 001). SCT03 (country of operation) is a setting, not a gate. */
export const CAPABILITIES = ['SCT01', 'SCT02', 'SCT11', 'SCT12'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** What each fixed tier includes; CUSTOM tenants get the set the platform admin configures. */
export const TIER_CAPABILITIES: Record<Exclude<TenantTier, 'CUSTOM'>, readonly Capability[]> = {
  STARTER: ['SCT01'],
  PROFESSIONAL: ['SCT01', 'SCT02', 'SCT11'],
  ENTERPRISE: ['SCT01', 'SCT02', 'SCT11', 'SCT12'],
};

/** Requests per minute per tenant (seed 001); CUSTOM tenants get the limit the platform admin configures. */
export const TIER_RATE_LIMITS: Record<Exclude<TenantTier, 'CUSTOM'>, number> = {
  STARTER: 100,
  PROFESSIONAL: 500,
  ENTERPRISE: 2_000,
};

/** A CUSTOM tenant nobody has configured yet gets the Starter set and limit until the platform admin sets theirs. */
export const CUSTOM_DEFAULTS = { capabilities: TIER_CAPABILITIES.STARTER, ratePerMinute: TIER_RATE_LIMITS.STARTER };

export const STAFF_ROLES = ['PLATFORM_ADMIN', 'COMPLIANCE_OFFICER', 'OPERATOR', 'AUDITOR', 'TENANT_ADMIN'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** What a tenant may use, as resolved from its row (tier plus the platform admin's custom settings). */
export interface TenantAccess {
  tenantId: string;
  tier: TenantTier;
  capabilities: readonly Capability[];
  ratePerMinute: number;
  /** ISO 3166-1 alpha-2 countries of operation (SCT03); undefined: not restricted. */
  countries?: readonly string[];
}
