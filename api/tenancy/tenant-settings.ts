/**
 * A tenant's onboarding settings, stored in tenants.settings. Unset values fall back to DEFAULT_POLICY, so a
 * tenant that never configured anything gets the documented defaults.
 */
import { msToNumber } from '@temporalio/common/lib/time';
import type { Knex } from '../../common/db';
import { DEFAULT_UBO_THRESHOLD_PERCENT } from '../../common/ownership';
import { DOCUMENT_TYPES } from '../../common/documents';
import { CONSENT_TYPES, DEFAULT_POLICY, type OnboardingPolicy } from '../../common/onboarding-policy';
import { z } from '../http/openapi';
import { sharePercent } from '../schemas/percent';
import { NotFoundError, ValidationError } from '../http/errors';
import { categorySettings } from '../profiles/categories';

/** One stalled step sends at most this many reminders before it expires: expireAfter / reminderAfter ≤ this. */
export const MAX_REMINDERS_PER_STEP = 100;

/** Least values a tenant may set (configuration: SETTINGS_MIN_REMINDER_SECONDS, SETTINGS_MIN_RESEND_COOLDOWN_SECONDS). */
export interface SettingsFloors {
  reminderAfterSeconds: number;
  resendCooldownSeconds: number;
}

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
    /** A person owning at least this share of an organization, through any chain, is a UBO (default 25). */
    uboThresholdPercent: sharePercent.optional(),
    /** Documents an organization must have provided (uploaded or accepted) before KYB; default CERTIFICATE_OF_INCORPORATION. */
    kybRequiredDocuments: z
      .array(z.enum(DOCUMENT_TYPES))
      .max(DOCUMENT_TYPES.length)
      .refine((types) => new Set(types).size === types.length, 'Must not repeat a document type')
      .optional(),
    /** Decisions a second compliance officer must confirm (four-eyes): every rejection, every organization decision. */
    fourEyes: z.strictObject({ rejections: z.boolean().optional(), organizations: z.boolean().optional() }).optional(),
    /** Customer categories and the rules that assign them (api/profiles/categories.ts); replaced as a whole. */
    categories: categorySettings.optional(),
  })
  .openapi('TenantSettings');

export type TenantSettings = z.output<typeof tenantSettingsSchema>;

export const uboThresholdOf = (settings: TenantSettings): number => settings.uboThresholdPercent ?? DEFAULT_UBO_THRESHOLD_PERCENT;

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

/**
 * Refuses settings that would let one onboarding send reminders or codes without bound (and grow its workflow
 * history with them). Floors apply to the values being changed; the ratio to the values that will be in force.
 */
function checkSettings(stored: TenantSettings, changes: TenantSettings, floors: SettingsFloors): void {
  for (const field of ['reminderAfterSeconds', 'resendCooldownSeconds'] as const) {
    const value = changes[field];
    if (value !== undefined && value < floors[field]) {
      throw new ValidationError([{ field, message: `Must be at least ${floors[field]} seconds` }]);
    }
  }
  const merged = { ...stored, ...changes };
  const seconds = (value: number | undefined, fallback: OnboardingPolicy['expireAfter']) => value ?? msToNumber(fallback) / 1000;
  const reminderAfter = seconds(merged.reminderAfterSeconds, DEFAULT_POLICY.reminderAfter);
  const expireAfter = seconds(merged.expireAfterSeconds, DEFAULT_POLICY.expireAfter);
  if (expireAfter / reminderAfter > MAX_REMINDERS_PER_STEP) {
    const field = changes.reminderAfterSeconds !== undefined ? 'reminderAfterSeconds' : 'expireAfterSeconds';
    const message = `expireAfterSeconds (${expireAfter}) may be at most ${MAX_REMINDERS_PER_STEP} times reminderAfterSeconds (${reminderAfter})`;
    throw new ValidationError([{ field, message }]);
  }
}

export function createTenantSettingsService(db: Knex, floors: SettingsFloors) {
  return {
    async get(tenantId: string): Promise<TenantSettings> {
      const row = await db('tenants').where({ id: tenantId }).first<{ settings: TenantSettings } | undefined>('settings');
      if (!row) throw new NotFoundError('Tenant not found');
      return row.settings;
    },
    /** Merges the given settings into the stored ones; onboardings already running keep the policy they began with. */
    async update(tenantId: string, changes: TenantSettings): Promise<TenantSettings> {
      return db.transaction(async (trx) => {
        const current = await trx('tenants').where({ id: tenantId }).forUpdate().first<{ settings: TenantSettings } | undefined>('settings');
        if (!current) throw new NotFoundError('Tenant not found');
        checkSettings(current.settings, changes, floors);
        const [row] = await trx('tenants')
          .where({ id: tenantId })
          .update({ settings: trx.raw('settings || ?::jsonb', [JSON.stringify(changes)]) }, ['settings']);
        return row.settings as TenantSettings;
      });
    },
  };
}

export type TenantSettingsService = ReturnType<typeof createTenantSettingsService>;
