import { createRegistry, generateDocument } from '../../api/http/openapi';
import { individualV2Request, relianceNotAvailable } from '../../api/individuals/v2-schemas';
import { ageOn } from '../../api/schemas/customer-fields';
import { seed004IndividualExample } from '../../scripts/bench-routes';

/** The request of source document 004, fresh for each test so a mutation never leaks into the next. */
function specExample() {
  return seed004IndividualExample('maria.garcia@example.com', 'client-ref-abc-001') as Record<string, unknown> & {
    basic_info: Record<string, unknown>;
    address: Record<string, unknown>;
    financial_profile: Record<string, unknown>;
    meta_data: Record<string, unknown>;
  };
}
type Body = ReturnType<typeof specExample>;

/** Parses as the route does (api/http/route.ts) and returns the details a tenant would read in the 400. */
function details(body: unknown) {
  const result = individualV2Request.safeParse(body, {
    error: (issue) => (issue.input === undefined && issue.code === 'invalid_type' ? 'Required' : undefined),
  });
  return (result.error?.issues ?? []).map((issue) =>
    issue.code === 'unrecognized_keys'
      ? { field: [...issue.path, issue.keys.join(',')].join('.'), message: 'Unknown field' }
      : { field: issue.path.join('.'), message: issue.message },
  );
}

const isoDate = (date: Date) => date.toISOString().slice(0, 10);
const yearsAgo = (years: number) => {
  const now = new Date();
  return isoDate(new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate())));
};

const LATIN_ONLY = 'Must contain only Latin (English) characters';
const ALPHA3 = 'Must be an ISO 3166-1 alpha-3 country code, e.g. USA';

describe('IndividualV2Request', () => {
  it('accepts the example of the source document as it is', () => {
    const result = individualV2Request.safeParse(specExample());
    expect(result.error?.issues).toBeUndefined();
    expect(result.data).toEqual(specExample());
  });

  it.each<[string, (body: Body) => void]>([
    ['a non-Latin name with a Latin transliteration', (b) => Object.assign(b.basic_info, { first_name: 'Мария', first_name_en: 'Maria' })],
    ['an accented name with a transliteration', (b) => Object.assign(b.basic_info, { last_name: 'García', last_name_en: 'Garcia' })],
    ['non-Latin address lines with transliterations', (b) => Object.assign(b.address, { street_line_1: '東京都港区1-2-3', street_line_1_en: '1-2-3 Minato-ku', city: 'Мехико', city_en: 'Mexico City' })],
    ['a Latin value with an optional _en twin', (b) => Object.assign(b.basic_info, { first_name_en: 'Maria' })],
    ['no optional field at all', (b) => {
      for (const field of ['middle_name', 'secondary_nationality', 'tax_info']) delete b.basic_info[field];
      for (const field of ['street_line_2', 'subdivision_code', 'postal_code']) delete b.address[field];
      for (const field of ['purpose_remarks', 'source_of_funds_description']) delete b.financial_profile[field];
      delete (b as Record<string, unknown>).meta_data;
    }],
    ['extra string keys in meta_data', (b) => Object.assign(b.meta_data, { campaign: 'spring-2026' })],
    ['RELIANCE (whether the tenant may use it is the route\'s rule)', (b) => Object.assign(b, { verification_type: 'RELIANCE' })],
    ['a person who turned 18 years old this year', (b) => Object.assign(b.basic_info, { dob: `${new Date().getUTCFullYear() - 18}-01-01` })],
    ['a zero monthly volume', (b) => Object.assign(b.financial_profile, { monthly_volume_usd: 0 })],
  ])('accepts %s', (_name, change) => {
    const body = specExample();
    change(body);
    expect(details(body)).toEqual([]);
  });

  it('stores a phone number given with spaces in E.164', () => {
    const body = specExample();
    body.basic_info.phone = '+1 415 555 2671';
    expect(individualV2Request.parse(body).basic_info.phone).toBe('+14155552671');
  });

  it.each<[string, (body: Body) => void, string, string]>([
    ['an e-mail address with capitals', (b) => (b.basic_info.email = 'Maria.Garcia@example.com'), 'basic_info.email', 'Email address must be all lowercase'],
    ['a malformed e-mail address', (b) => (b.basic_info.email = 'maria.garcia@'), 'basic_info.email', 'Must be a valid e-mail address'],
    ['a phone number without country code', (b) => (b.basic_info.phone = '4155552671'), 'basic_info.phone', 'Must be a valid phone number in international format, e.g. +14155552671'],
    ['a phone number that cannot exist', (b) => (b.basic_info.phone = '+1415555'), 'basic_info.phone', 'Must be a valid phone number in international format, e.g. +14155552671'],
    ['an alpha-2 country of residence', (b) => (b.basic_info.country_of_residence = 'US'), 'basic_info.country_of_residence', ALPHA3],
    ['a lowercase nationality', (b) => (b.basic_info.secondary_nationality = 'mex'), 'basic_info.secondary_nationality', ALPHA3],
    ['an unknown alpha-3 nationality', (b) => (b.basic_info.primary_nationality = 'XYZ'), 'basic_info.primary_nationality', 'Unknown ISO 3166-1 alpha-3 country code'],
    ['an unknown tax country', (b) => ((b.basic_info.tax_info as Array<Record<string, unknown>>)[0].country_code = 'ZZZ'), 'basic_info.tax_info.0.country_code', 'Unknown ISO 3166-1 alpha-3 country code'],
    ['an alpha-2 address country', (b) => (b.address.country = 'US'), 'address.country', ALPHA3],
    ['an address country other than the country of residence', (b) => Object.assign(b.address, { country: 'MEX', subdivision_code: 'MX-CMX' }), 'address.country', 'Must equal basic_info.country_of_residence'],
    ['a subdivision of another country', (b) => (b.address.subdivision_code = 'MX-CMX'), 'address.subdivision_code', 'MX-CMX is not a subdivision of address.country USA'],
    ['an unknown subdivision', (b) => (b.address.subdivision_code = 'US-ZZ'), 'address.subdivision_code', 'Unknown ISO 3166-2 subdivision code'],
    ['a subdivision without its country prefix', (b) => (b.address.subdivision_code = 'CA'), 'address.subdivision_code', 'Must be an ISO 3166-2 subdivision code, e.g. US-CA'],
    ['a non-Latin first name without first_name_en', (b) => (b.basic_info.first_name = 'Мария'), 'basic_info.first_name', 'Contains non-Latin characters: give a Latin transliteration in first_name_en'],
    ['an accented last name without last_name_en', (b) => (b.basic_info.last_name = 'García'), 'basic_info.last_name', 'Contains non-Latin characters: give a Latin transliteration in last_name_en'],
    ['a non-Latin middle name without middle_name_en', (b) => (b.basic_info.middle_name = 'Елена'), 'basic_info.middle_name', 'Contains non-Latin characters: give a Latin transliteration in middle_name_en'],
    ['a non-Latin first_name_en', (b) => Object.assign(b.basic_info, { first_name: 'Мария', first_name_en: 'Мария' }), 'basic_info.first_name_en', LATIN_ONLY],
    ['a non-Latin street without street_line_1_en', (b) => (b.address.street_line_1 = '東京都港区1-2-3'), 'address.street_line_1', 'Contains non-Latin characters: give a Latin transliteration in street_line_1_en'],
    ['a non-Latin second street line without its _en', (b) => (b.address.street_line_2 = 'кв. 4Б'), 'address.street_line_2', 'Contains non-Latin characters: give a Latin transliteration in street_line_2_en'],
    ['a non-Latin city_en', (b) => Object.assign(b.address, { city: 'Мехико', city_en: 'Мехико' }), 'address.city_en', LATIN_ONLY],
    ['a non-Latin free-text remark', (b) => (b.financial_profile.purpose_remarks = 'Переводы семье'), 'financial_profile.purpose_remarks', LATIN_ONLY],
    ['a minor', (b) => (b.basic_info.dob = yearsAgo(17)), 'basic_info.dob', 'The customer must be at least 18 years old'],
    ['a date of birth in the future', (b) => (b.basic_info.dob = '2999-01-01'), 'basic_info.dob', 'The customer must be at least 18 years old'],
    ['an impossible date', (b) => (b.basic_info.dob = '1990-02-30'), 'basic_info.dob', 'Must be a real date in the form YYYY-MM-DD'],
    ['29 February of a common year', (b) => (b.basic_info.dob = '1991-02-29'), 'basic_info.dob', 'Must be a real date in the form YYYY-MM-DD'],
    ['a date in another format', (b) => (b.basic_info.dob = '15/04/1990'), 'basic_info.dob', 'Must be a real date in the form YYYY-MM-DD'],
    ['an unknown gender', (b) => (b.basic_info.gender = 'F'), 'basic_info.gender', 'Invalid option: expected one of "MALE"|"FEMALE"|"OTHER"'],
    ['an unknown verification type', (b) => (b.verification_type = 'EXPRESS'), 'verification_type', 'Invalid option: expected one of "STANDARD"|"RELIANCE"'],
    ['an unknown employment status', (b) => (b.financial_profile.employment_status = 'WORKING'), 'financial_profile.employment_status', 'Invalid option: expected one of "EMPLOYED"|"SELF_EMPLOYED"|"UNEMPLOYED"|"STUDENT"|"RETIRED"|"OTHER"'],
    ['an unknown field in basic_info', (b) => (b.basic_info.nickname = 'Mari'), 'basic_info.nickname', 'Unknown field'],
    ['an unknown top-level field', (b) => Object.assign(b, { customer_type: 'INDIVIDUAL' }), 'customer_type', 'Unknown field'],
    ['an unknown field in a tax document', (b) => ((b.basic_info.tax_info as Array<Record<string, unknown>>)[0].issued_on = '2010-01-01'), 'basic_info.tax_info.0.issued_on', 'Unknown field'],
    ['a missing last name', (b) => delete b.basic_info.last_name, 'basic_info.last_name', 'Required'],
    ['a missing address', (b) => delete (b as Record<string, unknown>).address, 'address', 'Required'],
    ['tax_info that is not a list', (b) => (b.basic_info.tax_info = 'USA SSN 123-45-6789'), 'basic_info.tax_info', 'Invalid input: expected array, received string'],
    ['an empty list of sources of funds', (b) => (b.financial_profile.source_of_fund_ids = []), 'financial_profile.source_of_fund_ids', 'Must list at least one source of funds'],
    ['a source of funds id that is not an integer', (b) => (b.financial_profile.source_of_fund_ids = [1, 'salary']), 'financial_profile.source_of_fund_ids.1', 'Invalid input: expected number, received string'],
    ['a fractional occupation id', (b) => (b.financial_profile.occupation_id = 42.5), 'financial_profile.occupation_id', 'Invalid input: expected int, received number'],
    ['a purpose id given as a string', (b) => (b.financial_profile.purpose_id = '3'), 'financial_profile.purpose_id', 'Invalid input: expected number, received string'],
    ['a purpose id beyond a database integer', (b) => (b.financial_profile.purpose_id = 2 ** 31), 'financial_profile.purpose_id', 'Too big: expected number to be <=2147483647'],
    ['a negative monthly volume', (b) => (b.financial_profile.monthly_volume_usd = -1), 'financial_profile.monthly_volume_usd', 'Must not be negative'],
    ['a non-string meta_data value', (b) => (b.meta_data.campaign = 7), 'meta_data.campaign', 'Invalid input: expected string, received number'],
  ])('refuses %s', (_name, change, field, message) => {
    const body = specExample();
    change(body);
    expect(details(body)).toEqual([{ field, message }]);
  });

  it('reports field and cross-field problems together, so one answer lists them all', () => {
    const body = specExample();
    body.basic_info.email = 'MARIA@example.com';
    body.basic_info.first_name = 'Мария';
    Object.assign(body.address, { country: 'MEX', subdivision_code: 'US-CA' });
    const found = details(body);
    expect(found).toHaveLength(4);
    expect(found).toEqual(
      expect.arrayContaining([
        { field: 'basic_info.email', message: 'Email address must be all lowercase' },
        { field: 'basic_info.first_name', message: 'Contains non-Latin characters: give a Latin transliteration in first_name_en' },
        { field: 'address.subdivision_code', message: 'US-CA is not a subdivision of address.country MEX' },
        { field: 'address.country', message: 'Must equal basic_info.country_of_residence' },
      ]),
    );
  });

  it('is described in the OpenAPI document under its own name', () => {
    const registry = createRegistry();
    registry.register('IndividualV2Request', individualV2Request);
    const schema = generateDocument(registry).components?.schemas?.IndividualV2Request as { required?: string[] };
    expect(schema.required).toEqual(['verification_type', 'basic_info', 'address', 'financial_profile']);
  });
});

describe('ageOn', () => {
  it.each([
    ['2008-03-10', '2026-03-10', 18],
    ['2008-03-10', '2026-03-09', 17],
    ['2008-02-29', '2026-02-28', 17],
    ['2008-02-29', '2026-03-01', 18],
    ['1990-12-31', '2026-01-01', 35],
  ])('counts someone born on %s, on %s, as %i years old', (dob, today, age) => {
    expect(ageOn(dob, new Date(`${today}T12:00:00Z`))).toBe(age);
  });
});

describe('relianceNotAvailable', () => {
  it('is a 423 LOCKED with the documented message', () => {
    const error = relianceNotAvailable();
    expect(error.status).toBe(423);
    expect(error.body()).toEqual({ error: 'LOCKED', message: 'RELIANCE is not available for your client' });
  });
});
