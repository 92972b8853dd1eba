/** Request and response schemas of the platform admin's tenant, OAuth client and API key routes. */
import countries from 'i18n-iso-countries';
import { CAPABILITIES } from '../../common/access';
import { TENANT_TIERS } from '../../common/statuses';
import { z } from '../http/openapi';

const label = z.string().trim().min(1, 'Must not be empty').max(100, 'Must be at most 100 characters');
export const labelBody = (name: string) => z.strictObject({ label }).openapi(name);

export const countryOfOperation = z
  .string()
  .regex(/^[A-Z]{2}$/, { error: 'Must be an ISO 3166-1 alpha-2 country code, e.g. DE', abort: true })
  .refine((code) => countries.isValid(code), 'Unknown ISO 3166-1 alpha-2 country code')
  .openapi({ example: 'DE' });

const sortedUnique = <T extends string>(values: T[] | null | undefined) => (values ? [...new Set(values)].sort() : values);

export const tenantAccessChange = z
  .strictObject({
    tier: z.enum(TENANT_TIERS).optional(),
    customCapabilities: z
      .array(z.enum(CAPABILITIES))
      .min(1, 'Name at least one capability')
      .nullable()
      .optional()
      .transform(sortedUnique)
      .openapi({ description: 'CUSTOM tenants only: the capability codes it holds; null resets to the Starter set.' }),
    customRatePerMinute: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .nullable()
      .optional()
      .openapi({ description: 'CUSTOM tenants only: requests per minute; null resets to the Starter limit.' }),
    countries: z
      .array(countryOfOperation)
      .min(1, 'Name at least one country, or send null for no restriction')
      .max(250)
      .nullable()
      .optional()
      .transform(sortedUnique)
      .openapi({ description: 'Countries of operation (SCT03), ISO 3166-1 alpha-2; null: not restricted.' }),
  })
  .refine((body) => Object.keys(body).length > 0, {
    error: 'Name at least one of tier, customCapabilities, customRatePerMinute, countries',
    // An unknown field is reported alone, not also as "no field".
    when: ({ issues }) => issues.length === 0,
  })
  .openapi('TenantAccessChange');

export const tenantView = z
  .object({
    tenantId: z.string(),
    name: z.string(),
    tier: z.enum(TENANT_TIERS),
    capabilities: z.array(z.enum(CAPABILITIES)).openapi({ description: "What the tenant holds now: its tier's set, or the configured one for CUSTOM." }),
    ratePerMinute: z.number().int(),
    customCapabilities: z.array(z.enum(CAPABILITIES)).nullable(),
    customRatePerMinute: z.number().int().nullable(),
    countries: z.array(z.string()).nullable().openapi({ description: 'Countries of operation (SCT03); null: not restricted.' }),
    createdAt: z.iso.datetime(),
  })
  .openapi('TenantView');

export const tenantPage = z
  .object({
    data: z.array(tenantView),
    pagination: z.object({ page: z.number().int(), page_size: z.number().int(), total: z.number().int() }),
  })
  .openapi('TenantPage');

export const oauthClientView = z
  .object({
    clientId: z.string().openapi({ example: 'cli_5b0e8c1f2a7d94e3c6b10a2f' }),
    label: z.string(),
    createdAt: z.iso.datetime(),
    secretRotatedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .openapi('OAuthClient');

export const oauthClientWithSecret = oauthClientView
  .extend({ clientSecret: z.string().openapi({ description: 'Shown once; only a hash is stored.' }) })
  .openapi('OAuthClientWithSecret');

export const apiKeyView = z
  .object({
    keyId: z.string().openapi({ example: 'key_5b0e8c1f2a7d94e3c6b10a2f' }),
    label: z.string(),
    prefix: z.string().openapi({ description: 'The first characters of the key, to recognise it later.' }),
    createdAt: z.iso.datetime(),
    rotatedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .openapi('ApiKeyView');

export const apiKeyWithSecret = apiKeyView
  .extend({ apiKey: z.string().openapi({ description: 'Shown once; only a hash is stored. Send it as X-API-Key.' }) })
  .openapi('ApiKeyWithSecret');
