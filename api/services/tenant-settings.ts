/**
 * A tenant's onboarding settings, stored in tenants.settings. Unset values fall back to DEFAULT_POLICY, so a
 * tenant that never configured anything gets the documented defaults.
 */
import type { Knex } from '../../common/db';
import { CONSENT_TYPES, DEFAULT_POLICY, type OnboardingPolicy } from '../../common/onboarding-policy';
import { z } from '../http/openapi';
import { NotFoundError } from '../http/errors';

const seconds = (max: number) => z.number().int().min(1).max(max);

export const tenantSettingsSchema = z
  .strictObject({
    requiredConsents: z.array(z.enum(CONSENT_TYPES)).max(CONSENT_TYPES.length).optional(),
    reminderAfterSeconds: seconds(90 * 86_400).optional(),
    expireAfterSeconds: seconds(365 * 86_400).optional(),
    resendCooldownSeconds: seconds(86_400).optional(),
    kycResultTimeoutSeconds: seconds(30 * 86_400).optional(),
    /** First poll of the KYC provider while its callback is awaited; later polls back off from it. */
    kycFirstPollAfterSeconds: seconds(3_600).optional(),
    relianceEnabled: z.boolean().optional(),
    /** The tenant's page where a customer registered through the v2 API reads and accepts the policies. */
    tosPoliciesUrl: z.url({ protocol: /^https?$/ }).optional(),
  })
  .openapi('TenantSettings');

export type TenantSettings = z.output<typeof tenantSettingsSchema>;

export function policyFrom(settings: TenantSettings): OnboardingPolicy {
  const ms = (value: number | undefined) => (value === undefined ? undefined : value * 1000);
  return {
    requiredConsents: settings.requiredConsents ?? DEFAULT_POLICY.requiredConsents,
    reminderAfter: ms(settings.reminderAfterSeconds) ?? DEFAULT_POLICY.reminderAfter,
    expireAfter: ms(settings.expireAfterSeconds) ?? DEFAULT_POLICY.expireAfter,
    resendCooldown: ms(settings.resendCooldownSeconds) ?? DEFAULT_POLICY.resendCooldown,
    kycResultTimeout: ms(settings.kycResultTimeoutSeconds) ?? DEFAULT_POLICY.kycResultTimeout,
    kycFirstPollAfter: ms(settings.kycFirstPollAfterSeconds) ?? DEFAULT_POLICY.kycFirstPollAfter,
  };
}

export function createTenantSettingsService(db: Knex) {
  return {
    async get(tenantId: string): Promise<TenantSettings> {
      const row = await db('tenants').where({ id: tenantId }).first<{ settings: TenantSettings } | undefined>('settings');
      if (!row) throw new NotFoundError('Tenant not found');
      return row.settings;
    },
    /** Merges the given settings into the stored ones; onboardings already running keep the policy they began with. */
    async update(tenantId: string, changes: TenantSettings): Promise<TenantSettings> {
      const [row] = await db('tenants')
        .where({ id: tenantId })
        .update({ settings: db.raw('settings || ?::jsonb', [JSON.stringify(changes)]) }, ['settings']);
      if (!row) throw new NotFoundError('Tenant not found');
      return row.settings as TenantSettings;
    },
  };
}

export type TenantSettingsService = ReturnType<typeof createTenantSettingsService>;
