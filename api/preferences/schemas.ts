/** Requests and answers of the preferences routes, and the consent record the consents routes answer with. */
import { CONSENT_TYPES } from '../../common/onboarding-policy';
import { CUSTOMER_STATUSES, ORGANIZATION_STATUSES } from '../../common/statuses';
import { z } from '../http/openapi';
import { customerId, pageLimit } from '../schemas/params';
import { freeText } from '../schemas/customer-fields';
import { MARKETING_CHANNELS, NOTIFICATION_CHANNELS } from './store';

export const preferencesParams = z.object({ customerId });

/** A BCP 47 tag in its canonical form ('EN-us' → 'en-US'); what Intl cannot canonicalise is refused. */
export const languageTag = z
  .string()
  .trim()
  .min(2)
  .max(35)
  .transform((tag, ctx) => {
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical) return canonical;
    } catch {
      // RangeError: not a well-formed language tag.
    }
    ctx.addIssue({ code: 'custom', message: 'Must be a BCP 47 language tag, e.g. en or pt-BR' });
    return z.NEVER;
  })
  .openapi({ type: 'string', example: 'pt-BR', description: 'A BCP 47 language tag; stored in its canonical form' });

const marketing = z.object({ email: z.boolean(), sms: z.boolean(), phone: z.boolean() });

export const preferencesBody = z
  .strictObject({
    language: languageTag.optional(),
    marketing: z
      .strictObject({ email: z.boolean().optional(), sms: z.boolean().optional(), phone: z.boolean().optional() })
      .refine((m) => MARKETING_CHANNELS.some((channel) => m[channel] !== undefined), 'Must name at least one of email, sms, phone')
      .optional()
      .openapi({ description: 'Only the channels named change' }),
    notification_channels: z
      .array(z.enum(NOTIFICATION_CHANNELS))
      .min(1, 'Must name at least one channel')
      .max(NOTIFICATION_CHANNELS.length)
      .refine((channels) => new Set(channels).size === channels.length, 'Must not repeat a channel')
      .optional()
      .openapi({ description: 'Replaces the list; SMS needs a phone number on file' }),
  })
  .refine((body) => Object.keys(body).length > 0, 'Must change at least one of language, marketing, notification_channels')
  .openapi('PreferencesChange');

export type PreferencesChange = z.output<typeof preferencesBody>;

export const preferencesView = z
  .object({
    data: z.object({
      language: z.string().openapi({ example: 'en' }),
      marketing: marketing,
      notification_channels: z.array(z.enum(NOTIFICATION_CHANNELS)),
      updated_at: z.iso.datetime().nullable().openapi({ description: 'Null while the customer has the defaults' }),
    }),
  })
  .openapi('Preferences');

export const historyQuery = z.strictObject({
  cursor: z.string().regex(/^[1-9][0-9]{0,15}$/, 'Must be a next_cursor from a previous page').optional().openapi({ description: 'next_cursor of the previous page' }),
  limit: pageLimit,
});

const actorTypes = ['tenant', 'customer', 'staff', 'platform'] as const;

export const historyPageView = z
  .object({
    data: z.array(
      z.object({
        changes: z.array(
          z.object({
            field: z.string().openapi({ example: 'marketing.email' }),
            from: z.unknown().openapi({ example: false }),
            to: z.unknown().openapi({ example: true }),
          }),
        ),
        actor: z.object({ type: z.enum(actorTypes), id: z.string() }).openapi({ description: 'Who changed it, from their session or credential' }),
        reason: z.string().nullable().openapi({ description: 'Set when the change followed another action, e.g. CONSENT_WITHDRAWN:MARKETING' }),
        changed_at: z.iso.datetime(),
      }),
    ),
    next_cursor: z.string().nullable().openapi({ description: 'Pass as cursor for the next (older) page; null on the last' }),
  })
  .openapi('PreferencesHistory');

export const withdrawalBody = z.strictObject({ reason: freeText(500).optional() }).openapi('ConsentWithdrawal');

export const consentRecord = z
  .object({
    type: z.enum(CONSENT_TYPES),
    version: z.string(),
    acceptedAt: z.iso.datetime(),
    withdrawnAt: z.iso.datetime().nullable().openapi({ description: 'Null while the consent is in force' }),
    withdrawnBy: z.string().nullable().openapi({ description: 'Who withdrew it (type:id), from the session' }),
    withdrawalReason: z.string().nullable(),
  })
  .openapi('ConsentRecord');

export const withdrawnConsentView = consentRecord
  .extend({
    customerStatus: z.enum([...new Set([...CUSTOMER_STATUSES, ...ORGANIZATION_STATUSES])] as [string, ...string[]]).openapi({
      description: "The customer's status after the withdrawal (SUSPENDED or CLOSED when the tenant's setting moved it)",
    }),
  })
  .openapi('WithdrawnConsent');
