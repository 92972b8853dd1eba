/**
 * The whole stored profile of a customer in seed 004's own field names: what GET /v2/profile/{customerId} and
 * GET /v2/customer/{customerId} answer, and what PUT /v2/profile answers with after a change.
 *
 * Where it comes from: `customers` holds the names (their Latin form), e-mail, phone, status and category;
 * `customer_profiles` columns hold date of birth, nationality, residence and the address as the onboarding and
 * later profile changes wrote them; its `details` keep the rest of a v2 registration as given (original-script
 * names and `_en` twins, middle name, gender, secondary nationality, financial profile, meta data). Where both
 * hold a value the columns win: `details` only fills in what no column holds, and its names and address are shown
 * only while they still agree with the columns. Tax ids are shown masked as stored: reading never decrypts.
 */
import type { CustomerWithProfile } from '../customers/service';
import { z } from '../http/openapi';
import { CUSTOMER_STATUSES, CUSTOMER_TYPES, ORGANIZATION_STATUSES } from '../../common/statuses';
import { EMPLOYMENT_STATUSES, GENDERS, VERIFICATION_TYPES } from '../individuals/v2-schemas';

export const ALL_CUSTOMER_STATUSES = [...new Set([...CUSTOMER_STATUSES, ...ORGANIZATION_STATUSES])] as [string, ...string[]];

const text = z.string();

const maskedTaxId = z
  .strictObject({ country_code: text, document_type: text, document_id: text.openapi({ example: '****6789' }) })
  .openapi('MaskedTaxId', { description: 'A tax id with all but its last four characters hidden' });

const basicInfoView = z.strictObject({
  first_name: text,
  first_name_en: text.optional(),
  middle_name: text.optional(),
  middle_name_en: text.optional(),
  last_name: text,
  last_name_en: text.optional(),
  dob: text.nullable().openapi({ description: 'null until the profile step (v1 and v2.1 registrations)', example: '1990-04-15' }),
  email: text,
  phone: text.nullable(),
  country_of_residence: text.nullable(),
  primary_nationality: text.nullable(),
  secondary_nationality: text.optional(),
  gender: z.enum(GENDERS).optional(),
  tax_info: z.array(maskedTaxId).optional(),
});

const addressView = z.strictObject({
  street_line_1: text,
  street_line_1_en: text.optional(),
  street_line_2: text.optional(),
  street_line_2_en: text.optional(),
  city: text,
  city_en: text.optional(),
  subdivision_code: text.optional(),
  postal_code: text.optional(),
  country: text,
});

const financialProfileView = z.strictObject({
  employment_status: z.enum(EMPLOYMENT_STATUSES),
  occupation_id: z.number().int(),
  purpose_id: z.number().int(),
  purpose_remarks: text.optional(),
  source_of_funds_description: text.optional(),
  source_of_fund_ids: z.array(z.number().int()),
  monthly_volume_usd: z.number(),
});

export const customerProfileV2 = z
  .strictObject({
    customer_id: text,
    customer_type: z.enum(CUSTOMER_TYPES),
    status: z.enum(ALL_CUSTOMER_STATUSES),
    category: text.nullable().openapi({ description: "A code of the tenant's categories, or null" }),
    verification_type: z.enum(VERIFICATION_TYPES).optional(),
    basic_info: basicInfoView.nullable().openapi({ description: 'null for an organization (GET /v2/organization/{organizationId} reads the business)' }),
    address: addressView.nullable(),
    financial_profile: financialProfileView.nullable(),
    meta_data: z.record(z.string(), z.string()).nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi('CustomerProfileV2');

export type CustomerProfileV2 = z.output<typeof customerProfileV2>;

export const customerProfileResponse = z.object({ data: customerProfileV2 }).openapi('CustomerProfileV2Response');

/** The v2 body a registration stored in `details`, as far as this view reads it (validated when it was stored). */
interface StoredDetails {
  verification_type?: CustomerProfileV2['verification_type'];
  basic_info?: Partial<Record<'first_name' | 'first_name_en' | 'middle_name' | 'middle_name_en' | 'last_name' | 'last_name_en' | 'secondary_nationality', string>> & {
    gender?: (typeof GENDERS)[number];
  };
  address?: z.output<typeof addressView>;
  financial_profile?: z.output<typeof financialProfileView>;
  meta_data?: Record<string, string>;
}

type Profile = NonNullable<CustomerWithProfile['profile']>;
type Defined<T> = { [K in keyof T]: Exclude<T[K], undefined> };

/** The keys whose value is defined: an absent optional field is left out of the answer, not sent as null. */
function defined<T extends Record<string, unknown>>(value: T): Partial<Defined<T>> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<Defined<T>>;
}

/** The registration's names (original script and `_en` twins) while their Latin form is still the row's. */
function namesOf(row: CustomerWithProfile, info: StoredDetails['basic_info']) {
  const latin = (field: 'first_name' | 'last_name') => info?.[`${field}_en`] ?? info?.[field];
  if (!info || latin('first_name') !== row.first_name || latin('last_name') !== row.last_name) {
    return { first_name: row.first_name, last_name: row.last_name };
  }
  const { first_name, first_name_en, middle_name, middle_name_en, last_name, last_name_en } = info;
  return { first_name: first_name!, ...defined({ first_name_en, middle_name, middle_name_en }), last_name: last_name!, ...defined({ last_name_en }) };
}

/** The registration's address (with `_en` twins) while its Latin form is still the stored one, else the column's. */
function addressOf(stored: Profile['address'], given: StoredDetails['address']): z.output<typeof addressView> {
  const agrees =
    given !== undefined &&
    (given.street_line_1_en ?? given.street_line_1) === stored.line1 &&
    (given.street_line_2_en ?? given.street_line_2) === stored.line2 &&
    (given.city_en ?? given.city) === stored.city &&
    (given.postal_code ?? '') === stored.postalCode &&
    given.subdivision_code === stored.subdivisionCode &&
    given.country === stored.country;
  if (agrees) {
    const { street_line_1, street_line_1_en, street_line_2, street_line_2_en, city, city_en, subdivision_code, postal_code, country } = given;
    return { street_line_1, ...defined({ street_line_1_en, street_line_2, street_line_2_en }), city, ...defined({ city_en, subdivision_code, postal_code }), country };
  }
  return {
    street_line_1: stored.line1,
    ...defined({ street_line_2: stored.line2 }),
    city: stored.city,
    ...defined({ subdivision_code: stored.subdivisionCode, postal_code: stored.postalCode || undefined }),
    country: stored.country,
  };
}

function basicInfoOf(row: CustomerWithProfile, profile: Profile | null, info: StoredDetails['basic_info']): z.output<typeof basicInfoView> {
  const taxIds = profile?.taxIdsMasked;
  return {
    ...namesOf(row, info),
    dob: profile?.dateOfBirth ?? null,
    email: row.email,
    phone: row.phone,
    country_of_residence: profile?.countryOfResidence ?? null,
    primary_nationality: profile?.nationality ?? null,
    ...defined({ secondary_nationality: info?.secondary_nationality, gender: info?.gender }),
    ...(Array.isArray(taxIds) && taxIds.length > 0 ? { tax_info: taxIds.map(maskedOnly) } : {}),
  };
}

/** Only the three masked fields, whatever else the stored value might hold. */
function maskedOnly(taxId: { country_code: string; document_type: string; document_id: string }) {
  return { country_code: taxId.country_code, document_type: taxId.document_type, document_id: taxId.document_id };
}

export function customerProfileView(row: CustomerWithProfile): CustomerProfileV2 {
  const head = { customer_id: row.id, customer_type: row.type, status: row.status, category: row.category };
  const times = { created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString() };
  if (row.type === 'ORGANIZATION') {
    return { ...head, basic_info: null, address: null, financial_profile: null, meta_data: null, ...times };
  }
  const { profile } = row;
  const details = (profile?.details ?? {}) as StoredDetails;
  return {
    ...head,
    ...defined({ verification_type: details.verification_type }),
    basic_info: basicInfoOf(row, profile, details.basic_info),
    address: profile ? addressOf(profile.address, details.address) : null,
    financial_profile: details.financial_profile ?? null,
    meta_data: details.meta_data ?? null,
    ...times,
  };
}
