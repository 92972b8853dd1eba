/**
 * Third-party providers (PSD2-style) and the grants customers give them: request and answer schemas, the roles and
 * scopes, and which role each scope needs. One place, so routes, services and the OpenAPI document agree.
 */
import { z } from '../http/openapi';
import { countryCode, freeText } from '../schemas/customer-fields';
import { customerId, idOf, pageLimit } from '../schemas/params';

export const TPP_ROLES = ['AISP', 'PISP', 'CBPII'] as const;
export type TppRole = (typeof TPP_ROLES)[number];
export const TPP_STATUSES = ['ACTIVE', 'SUSPENDED', 'REVOKED'] as const;
export type TppStatus = (typeof TPP_STATUSES)[number];

/** What a grant lets a TPP do, and the role (PSD2's account information, payment initiation, funds confirmation) it needs. */
export const SCOPE_ROLE = {
  ACCOUNTS_READ: 'AISP',
  BALANCES_READ: 'AISP',
  TRANSACTIONS_READ: 'AISP',
  PAYMENTS_INITIATE: 'PISP',
  FUNDS_CONFIRMATION: 'CBPII',
} as const satisfies Record<string, TppRole>;
export type TppScope = keyof typeof SCOPE_ROLE;
export const TPP_SCOPES = Object.keys(SCOPE_ROLE) as [TppScope, ...TppScope[]];
export const CONSENT_STATUSES = ['ACTIVE', 'REVOKED', 'EXPIRED'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/**
 * How far ahead a grant may expire: PSD2 has the customer re-authenticate an access every 90 to 180 days, so a
 * grant lasts at most the longer bound and the customer grants again after it.
 */
export const MAX_CONSENT_DAYS = 180;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Why the authorization check refuses, as stable codes a gateway can branch on. */
export const TPP_REFUSALS = ['TPP_CONSENT_REVOKED', 'TPP_CONSENT_EXPIRED', 'TPP_SCOPE_NOT_GRANTED', 'TPP_NOT_ACTIVE', 'TPP_CUSTOMER_NOT_ACTIVE'] as const;
export type TppRefusal = (typeof TPP_REFUSALS)[number];

export const tppId = idOf('tpp', 'tpp_6a1f0c3e9b2d4f7a8c5e1b0d');
export const consentId = idOf('tpc', 'tpc_2c7e9a1b4d6f8a0c3e5b7d9f');

const unique = <T>(values: readonly T[]) => new Set(values).size === values.length;
const roles = z.array(z.enum(TPP_ROLES)).min(1, 'Must name at least one role').refine(unique, 'Must not repeat a role');
const scopes = z.array(z.enum(TPP_SCOPES)).min(1, 'Must name at least one scope').refine(unique, 'Must not repeat a scope');
/** A regulator's register number, e.g. "FRN 123456" or "PSDNL-DNB-12345": letters, digits and a few separators. */
const authorisationNumber = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ./_-]{0,63}$/, 'Must be 1 to 64 letters, digits, spaces, dots, slashes, dashes or underscores')
  .openapi({ example: 'PSDNL-DNB-12345' });

export const registerTppBody = z
  .strictObject({
    name: freeText(200),
    authorisation_number: authorisationNumber,
    competent_authority: freeText(200).optional().openapi({ example: 'De Nederlandsche Bank' }),
    country: countryCode,
    roles,
  })
  .openapi('TppRegistration');

export const updateTppBody = z
  .strictObject({ name: freeText(200).optional(), roles: roles.optional(), status: z.enum(TPP_STATUSES).optional() })
  .refine((body) => Object.keys(body).length > 0, 'Must change at least one of name, roles, status')
  .openapi('TppChange');

export const tppView = z
  .object({
    id: tppId,
    name: z.string(),
    authorisation_number: z.string(),
    competent_authority: z.string().nullable(),
    country: z.string(),
    roles: z.array(z.enum(TPP_ROLES)),
    status: z.enum(TPP_STATUSES),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi('Tpp');

const page = { limit: pageLimit, cursor: z.string().max(200).optional().openapi({ description: 'next_cursor of the previous page' }) };
export const tppListQuery = z.strictObject({ status: z.enum(TPP_STATUSES).optional(), role: z.enum(TPP_ROLES).optional(), ...page });
export const tppPage = z.object({ data: z.array(tppView), next_cursor: z.string().nullable() }).openapi('TppPage');

const expiresAt = z.iso
  .datetime({ offset: true })
  .refine((at) => Date.parse(at) > Date.now(), { error: 'Must be in the future', abort: true })
  .refine((at) => Date.parse(at) <= Date.now() + MAX_CONSENT_DAYS * DAY_MS, `Must be at most ${MAX_CONSENT_DAYS} days ahead`)
  .openapi({ example: '2027-03-01T00:00:00Z', description: `In the future, at most ${MAX_CONSENT_DAYS} days ahead` });

export const grantConsentBody = z.strictObject({ tpp_id: tppId, scopes, expires_at: expiresAt }).openapi('TppConsentRequest');

export const consentView = z
  .object({
    id: consentId,
    customer_id: z.string(),
    tpp_id: z.string(),
    scopes: z.array(z.enum(TPP_SCOPES)),
    status: z.enum(CONSENT_STATUSES).openapi({ description: 'EXPIRED as soon as expires_at has passed, even before its timer has marked the row' }),
    expires_at: z.iso.datetime(),
    created_at: z.iso.datetime(),
    created_by: z.string().openapi({ description: 'Who granted it: a tenant credential or the customer (e.g. customer:cust_…)' }),
    revoked_at: z.iso.datetime().nullable(),
    revoked_by: z.string().nullable().openapi({ description: 'Who revoked it; tpp:tpp_… when its TPP was revoked' }),
  })
  .openapi('TppConsent');

export const consentListQuery = z.strictObject({ status: z.enum(CONSENT_STATUSES).optional(), ...page });
export const consentPage = z.object({ data: z.array(consentView), next_cursor: z.string().nullable() }).openapi('TppConsentPage');

export const authorizationBody = z.strictObject({ tpp_id: tppId, scope: z.enum(TPP_SCOPES) }).openapi('TppAuthorizationRequest');
export const authorizationView = z
  .object({ data: z.object({ allowed: z.literal(true), expires_at: z.iso.datetime() }) })
  .openapi('TppAuthorization');
export const refusalBody = z
  .object({ error: z.enum(TPP_REFUSALS), message: z.string() })
  .openapi('TppAccessRefused', { description: 'The TPP may not act: the code says why' });

export const tppParams = z.object({ tppId });
export const customerParams = z.object({ customerId });
export const consentParams = z.object({ customerId, consentId });

export type RegisterTpp = z.output<typeof registerTppBody>;
export type UpdateTpp = z.output<typeof updateTppBody>;
export type TppView = z.output<typeof tppView>;
export type GrantConsent = z.output<typeof grantConsentBody>;
export type ConsentView = z.output<typeof consentView>;
