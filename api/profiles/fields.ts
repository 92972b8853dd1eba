/**
 * Seed 004's sections of an individual's profile (basic_info, address, financial_profile, meta_data, tax_info), each
 * rule written once. POST /v2/customers/individual (api/individuals/v2-schemas.ts) and PUT /v2/profile
 * (./update-schema.ts) are both built from these, and a director's or UBO's identity details
 * (api/identity/schemas.ts) take their address rule from here. Rules that need more than the body (reference ids
 * exist, the tenant operates in the country) belong to the services.
 */
import countries from 'i18n-iso-countries';
import { z } from '../http/openapi';
import { adultDateOfBirth, boundedText, countryCode, freeText, lowercaseEmail, personName, phoneNumber, subdivisionCode } from '../schemas/customer-fields';

export const GENDERS = ['MALE', 'FEMALE', 'OTHER'] as const;
export const EMPLOYMENT_STATUSES = ['EMPLOYED', 'SELF_EMPLOYED', 'UNEMPLOYED', 'STUDENT', 'RETIRED', 'OTHER'] as const;

/**
 * The document's "English (Latin)" characters: printable ASCII. Any other character, Cyrillic as much as the é of
 * José, needs a transliteration in the field's `_en` twin, since the document asks for one for non-ASCII input.
 */
export const isLatin = (value: string): boolean => /^[\x20-\x7e]*$/.test(value);
const LATIN_ONLY = 'Must contain only Latin (English) characters';

/** May hold any script, provided a Latin `_en` twin comes with it (see requireTransliterations). */
const anyScriptText = freeText;
const latinText = (max: number) => boundedText(max).refine(isLatin, LATIN_ONLY);

/** Ids of the reference tables: PostgreSQL integers, so a larger number is refused here, not by the database. */
const referenceId = z.int().positive().max(2_147_483_647);

type Path = readonly PropertyKey[];
const overlaps = (a: Path, b: Path) => a.slice(0, Math.min(a.length, b.length)).every((key, i) => key === b[i]);

/**
 * Lets a cross-field rule run as soon as the fields it reads parsed cleanly, even when unrelated fields failed, so
 * one answer lists every problem, while the rule never sees a missing or mistyped field.
 */
export function fieldsParsed(...paths: Path[]) {
  return (payload: z.core.ParsePayload): boolean =>
    typeof payload.value === 'object' &&
    payload.value !== null &&
    !payload.issues.some((issue) => issue.code !== 'unrecognized_keys' && paths.some((path) => overlaps(issue.path ?? [], path)));
}

/** Each of `fields` that holds non-Latin characters needs its `<field>_en` twin (itself checked as Latin). */
function requireTransliterations<T extends z.ZodType<Record<string, unknown>>>(schema: T, fields: readonly string[]): T {
  return fields.reduce(
    (checked, field) =>
      checked.refine(
        (value) => {
          const original = value[field];
          return typeof original !== 'string' || isLatin(original) || value[`${field}_en`] !== undefined;
        },
        {
          path: [field],
          error: `Contains non-Latin characters: give a Latin transliteration in ${field}_en`,
          when: fieldsParsed([field], [`${field}_en`]),
        },
      ),
    schema,
  );
}

/** `subdivision_code`, when given, lies in `country` (US-CA in USA): one rule for every address this API takes. */
export function subdivisionInCountry<T extends z.ZodType<{ subdivision_code?: string; country: string }>>(schema: T): T {
  return schema.refine(
    ({ subdivision_code, country }) => subdivision_code === undefined || subdivision_code.startsWith(`${countries.alpha3ToAlpha2(country)}-`),
    {
      path: ['subdivision_code'],
      error: (issue) => {
        const { subdivision_code, country } = issue.input as { subdivision_code: string; country: string };
        return `${subdivision_code} is not a subdivision of address.country ${country}`;
      },
      when: fieldsParsed(['subdivision_code'], ['country']),
    },
  );
}

export const taxInfo = z.strictObject({
  country_code: countryCode,
  document_type: latinText(50).openapi({ example: 'SSN' }),
  document_id: latinText(64).openapi({ example: '123-45-6789' }),
});

/** basic_info's fields as registration requires them; an update takes each one optionally. */
const basicInfoFields = {
  first_name: personName,
  first_name_en: latinText(100).optional(),
  middle_name: personName.optional(),
  middle_name_en: latinText(100).optional(),
  last_name: personName,
  last_name_en: latinText(100).optional(),
  dob: adultDateOfBirth,
  email: lowercaseEmail,
  phone: phoneNumber,
  country_of_residence: countryCode,
  primary_nationality: countryCode,
  secondary_nationality: countryCode.optional(),
  gender: z.enum(GENDERS),
  tax_info: z.array(taxInfo).optional(),
};
const TRANSLITERATED_NAMES = ['first_name', 'middle_name', 'last_name'] as const;

export const basicInfo = requireTransliterations(z.strictObject(basicInfoFields), TRANSLITERATED_NAMES);
export const basicInfoUpdate = requireTransliterations(z.strictObject(basicInfoFields).partial(), TRANSLITERATED_NAMES);

export const address = subdivisionInCountry(
  requireTransliterations(
    z.strictObject({
      street_line_1: anyScriptText(200),
      street_line_1_en: latinText(200).optional(),
      street_line_2: anyScriptText(200).optional(),
      street_line_2_en: latinText(200).optional(),
      city: anyScriptText(100),
      city_en: latinText(100).optional(),
      subdivision_code: subdivisionCode.optional(),
      postal_code: latinText(16).optional(),
      country: countryCode,
    }),
    ['street_line_1', 'street_line_2', 'city'],
  ),
);

export const financialProfile = z.strictObject({
  employment_status: z.enum(EMPLOYMENT_STATUSES),
  occupation_id: referenceId.openapi({ description: 'An id from GET /v2/reference/occupations', example: 42 }),
  purpose_id: referenceId.openapi({ description: 'An id from GET /v2/reference/account-purposes', example: 3 }),
  purpose_remarks: latinText(500).optional(),
  source_of_funds_description: latinText(500).optional(),
  source_of_fund_ids: z
    .array(referenceId)
    .min(1, 'Must list at least one source of funds')
    .openapi({ description: 'Ids from GET /v2/reference/source-of-funds', example: [1, 5] }),
  monthly_volume_usd: z.number().nonnegative('Must not be negative').openapi({ example: 5000 }),
});

/** The tenant's own bookkeeping: free string keys, never interpreted by the onboarding. */
export const metaData = z
  .object({ reference: z.string().max(100, 'Must be at most 100 characters').optional() })
  .catchall(z.string().max(500, 'Must be at most 500 characters'))
  .openapi({ example: { reference: 'client-ref-abc-001' } });

export const ADDRESS_MATCHES_RESIDENCE = 'Must equal basic_info.country_of_residence';

export type BasicInfo = z.output<typeof basicInfo>;
export type Address = z.output<typeof address>;
export type FinancialProfile = z.output<typeof financialProfile>;
export type MetaData = z.output<typeof metaData>;
export type TaxInfo = z.output<typeof taxInfo>;

/** The references a financial profile names, in the shape `ReferenceDataService.missingIds` checks. */
export const referencesOf = (profile: FinancialProfile) => ({
  occupationId: profile.occupation_id,
  purposeId: profile.purpose_id,
  sourceOfFundIds: profile.source_of_fund_ids,
});

/** The address in the columns' shape (common/onboarding-contract ProfileDetails): Latin text where a twin exists. */
export function storedAddressOf(a: Address) {
  return {
    line1: a.street_line_1_en ?? a.street_line_1,
    line2: a.street_line_2_en ?? a.street_line_2,
    city: a.city_en ?? a.city,
    postalCode: a.postal_code ?? '',
    subdivisionCode: a.subdivision_code,
    country: a.country,
  };
}
