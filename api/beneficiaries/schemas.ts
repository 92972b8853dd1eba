/**
 * Request and response schemas of the beneficiary routes. Field rules that need no other field live here (formats,
 * the currency list, the BIC); the per-country account rules, which read several fields, are in accounts.ts.
 */
import { z } from '../http/openapi';
import { countryCode, freeText } from '../schemas/customer-fields';
import { customerId, idOf, pageLimit } from '../schemas/params';

export const BENEFICIARY_STATUSES = ['PENDING_CONFIRMATION', 'ACTIVE', 'EXPIRED', 'FAILED', 'DELETED'] as const;
/** What a listing may filter on: a deleted beneficiary is never shown. */
const LISTED_STATUSES = BENEFICIARY_STATUSES.filter((status) => status !== 'DELETED') as ['PENDING_CONFIRMATION', 'ACTIVE', 'EXPIRED', 'FAILED'];

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const beneficiaryId = idOf('ben', 'ben_7c1e4a9b0d2f3e5a6b8c9d0e');
export const customerParams = z.object({ customerId });
export const beneficiaryParams = z.object({ customerId, beneficiaryId });

const nickname = freeText(50).openapi({ description: "The customer's own label for the recipient", example: 'Landlord' });

export const createBeneficiaryBody = z
  .strictObject({
    name: freeText(140).openapi({ description: "The account holder's name", example: 'Hans Müller' }),
    nickname: nickname.optional(),
    country: countryCode.openapi({ description: "The account's country (ISO 3166-1 alpha-3)", example: 'DEU' }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, { error: 'Must be an ISO 4217 currency code, e.g. EUR', abort: true })
      .refine((code) => CURRENCIES.has(code), 'Unknown ISO 4217 currency code')
      .openapi({ example: 'EUR' }),
    iban: z.string().max(64, 'Must be at most 64 characters').optional().openapi({ description: 'Spaces and lower case are accepted', example: 'DE89 3704 0044 0532 0130 00' }),
    bic: z.string().max(16, 'Must be at most 16 characters').optional().openapi({ example: 'COBADEFFXXX' }),
    account_number: z.string().max(34, 'Must be at most 34 characters').optional().openapi({ description: 'With routing_code, where the country has no IBAN (or instead of it in GBR)' }),
    routing_code: z.string().max(16, 'Must be at most 16 characters').optional().openapi({ description: 'ABA routing number (USA), sort code (GBR), BSB (AUS), transit + institution (CAN), IFSC (IND)' }),
    confirmation_channel: z.enum(['EMAIL', 'SMS']).default('EMAIL').openapi({ description: "Where the confirmation code goes; SMS needs the customer's phone" }),
  })
  .openapi('BeneficiaryCreate');

export const updateBeneficiaryBody = z
  .strictObject({ nickname: nickname.nullable().openapi({ description: 'null removes it' }) })
  .openapi('BeneficiaryUpdate');

export const confirmationBody = z
  .strictObject({ code: z.string().trim().regex(/^\d{6}$/, 'Must be the 6-digit code that was sent') })
  .openapi('BeneficiaryConfirmation');

export const listQuery = z.strictObject({
  status: z.enum(LISTED_STATUSES).optional(),
  cursor: beneficiaryId.optional().openapi({ description: 'next_cursor of the previous page' }),
  limit: pageLimit,
});

export const beneficiaryView = z
  .object({
    id: beneficiaryId,
    customer_id: customerId,
    name: z.string(),
    nickname: z.string().nullable(),
    country: z.string(),
    currency: z.string(),
    bic: z.string().nullable(),
    account_type: z.enum(['IBAN', 'ACCOUNT_NUMBER']),
    account_masked: z.string().openapi({ description: 'The account with all but a few characters hidden', example: 'DE89 **** **** **** **30 00' }),
    routing_code: z.string().nullable().openapi({ description: "The bank's routing code (a public bank identifier); null for an IBAN" }),
    status: z.enum(BENEFICIARY_STATUSES),
    confirmation_channel: z.enum(['EMAIL', 'SMS']),
    confirmation_expires_at: z.iso.datetime(),
    confirmed_at: z.iso.datetime().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi('Beneficiary');

export const beneficiaryAnswer = z.object({ data: beneficiaryView }).openapi('BeneficiaryAnswer');
export const beneficiaryPage = z
  .object({ data: z.array(beneficiaryView), next_cursor: z.string().nullable().openapi({ description: 'Pass as cursor for the next (older) page; null on the last' }) })
  .openapi('BeneficiaryPage');

export type CreateBeneficiary = z.output<typeof createBeneficiaryBody>;
export type BeneficiaryView = z.output<typeof beneficiaryView>;
export type BeneficiaryStatus = (typeof BENEFICIARY_STATUSES)[number];
