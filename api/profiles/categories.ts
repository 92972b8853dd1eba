/**
 * Categorization (seed 002): a tenant names its customer categories in its settings (`categories`), each with an
 * optional rule; a customer gets the first category whose rule it meets, else the tenant's default, else none.
 * A category can also be assigned explicitly, which the rules then leave alone. Pure: the registration services
 * evaluate it from the body and the settings they have already read, so registering costs no extra query.
 */
import type { CustomerType } from '../../common/statuses';
import { CUSTOMER_TYPES } from '../../common/statuses';
import { z } from '../http/openapi';
import { countryCode } from '../schemas/customer-fields';

export const CATEGORY_SOURCES = ['RULE', 'EXPLICIT'] as const;
export type CategorySource = (typeof CATEGORY_SOURCES)[number];

export const categoryCode = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{1,31}$/, 'Must be 2 to 32 upper-case letters, digits or underscores, starting with a letter')
  .openapi({ example: 'PREMIUM' });

/** Every condition given must hold (AND); a fact the customer lacks (no profile yet) fails its condition. */
const categoryRule = z
  .strictObject({
    minMonthlyVolumeUsd: z.number().nonnegative('Must not be negative').optional()
      .openapi({ description: "financial_profile.monthly_volume_usd at least this (v2 registrations state it)" }),
    customerTypes: z.array(z.enum(CUSTOMER_TYPES)).min(1).optional(),
    countriesOfResidence: z.array(countryCode).min(1).max(250).optional()
      .openapi({ description: "An individual's country of residence, an organization's country of incorporation (alpha-3)" }),
  })
  .refine((rule) => Object.values(rule).some((condition) => condition !== undefined), {
    error: 'A rule needs at least one condition',
    when: (payload) => payload.issues.length === 0, // an unknown field is reported alone
  });

export const categorySettings = z
  .strictObject({
    /** Rules are tried in this order; the first that matches wins. */
    definitions: z
      .array(z.strictObject({ code: categoryCode, label: z.string().trim().min(1).max(100).optional(), rule: categoryRule.optional() }))
      .min(1)
      .max(50),
    /** The category of a customer no rule matches; none when absent. */
    default: categoryCode.optional(),
  })
  .superRefine((settings, ctx) => {
    const seen = new Set<string>();
    settings.definitions.forEach(({ code }, index) => {
      if (seen.has(code)) ctx.addIssue({ code: 'custom', path: ['definitions', index, 'code'], message: `${code} is defined twice` });
      seen.add(code);
    });
    if (settings.default !== undefined && !seen.has(settings.default)) {
      ctx.addIssue({ code: 'custom', path: ['default'], message: 'Must be one of the defined codes' });
    }
  })
  .openapi('CategorySettings', {
    example: { definitions: [{ code: 'PREMIUM', label: 'Premium', rule: { minMonthlyVolumeUsd: 10000 } }, { code: 'RETAIL' }], default: 'RETAIL' },
  });

export type CategorySettings = z.output<typeof categorySettings>;
type CategoryRule = z.output<typeof categoryRule>;

/** What the rules look at, as registration or the stored rows know it. */
export interface CategoryFacts {
  customerType: CustomerType;
  /** An individual's country of residence, an organization's country of incorporation (alpha-3). */
  country?: string;
  monthlyVolumeUsd?: number;
}

function meets(rule: CategoryRule, facts: CategoryFacts): boolean {
  if (rule.customerTypes && !rule.customerTypes.includes(facts.customerType)) return false;
  if (rule.countriesOfResidence && (facts.country === undefined || !rule.countriesOfResidence.includes(facts.country))) return false;
  if (rule.minMonthlyVolumeUsd !== undefined && (facts.monthlyVolumeUsd === undefined || facts.monthlyVolumeUsd < rule.minMonthlyVolumeUsd)) return false;
  return true;
}

/** The category the tenant's rules give: the first definition whose rule the facts meet, else the default, else null. */
export function categorize(settings: CategorySettings | undefined, facts: CategoryFacts): string | null {
  if (!settings) return null;
  const match = settings.definitions.find((definition) => definition.rule !== undefined && meets(definition.rule, facts));
  return match?.code ?? settings.default ?? null;
}

export const isDefinedCategory = (settings: CategorySettings | undefined, code: string): boolean =>
  settings?.definitions.some((definition) => definition.code === code) ?? false;
