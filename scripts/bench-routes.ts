/**
 * The registration routes the benchmarks load (scripts/bench-registration.ts) and the baseline answers
 * (scripts/baseline/), with the body each request sends: the same bodies to both sides, a fresh lowercase e-mail
 * address each.
 *
 * - `v2.1`: `POST /api/v2.1/customer/individual/registration`, a name, an e-mail and a password (the project hashes
 *   it with argon2id), captcha and terms. `npm run bench`'s route.
 * - `v2`: `POST /v2/customers/individual` (source document 004), the whole profile in one call and no password;
 *   seed 004's own example body (tax id, address, financial profile with ids from the reference tables). The route
 *   issue 12's figures were measured on.
 */

/**
 * Source document 004's example request for `POST /v2/customers/individual`, built fresh on each call (so a caller may
 * change it), with the e-mail and the client's reference given. The benchmarks send it; the schema's unit test checks it.
 */
export function seed004IndividualExample(email: string, reference: string) {
  return {
    verification_type: 'STANDARD',
    basic_info: {
      first_name: 'Maria',
      middle_name: 'Elena',
      last_name: 'Garcia',
      dob: '1990-04-15',
      email,
      phone: '+14155552671',
      country_of_residence: 'USA',
      primary_nationality: 'USA',
      secondary_nationality: 'MEX',
      gender: 'FEMALE',
      tax_info: [{ country_code: 'USA', document_type: 'SSN', document_id: '123-45-6789' }],
    },
    address: { street_line_1: '123 Market Street', street_line_2: 'Apt 4B', city: 'San Francisco', subdivision_code: 'US-CA', postal_code: '94103', country: 'USA' },
    financial_profile: {
      employment_status: 'EMPLOYED',
      // Ids that exist in the reference tables (migrations/20261122001000_create_reference_data.ts): the project
      // refuses unknown ones with a 400.
      occupation_id: 42,
      purpose_id: 3,
      purpose_remarks: 'Personal remittances to family',
      source_of_funds_description: 'Monthly salary from employment',
      source_of_fund_ids: [1, 5],
      monthly_volume_usd: 5000,
    },
    meta_data: { reference },
  };
}

export const REGISTRATION_ROUTES = {
  'v2.1': {
    path: '/api/v2.1/customer/individual/registration',
    body: (email: string) => ({
      firstName: 'Bench',
      lastName: 'User',
      email,
      password: 'SecurePassword123!',
      captcha: 'bench',
      termsAccepted: true,
    }),
  },
  v2: {
    path: '/v2/customers/individual',
    body: (email: string) => seed004IndividualExample(email, 'bench'),
  },
} as const;

export type RegistrationRoute = keyof typeof REGISTRATION_ROUTES;

/** The `--route` flag's value, checked. */
export function registrationRoute(value: string): RegistrationRoute {
  if (!Object.hasOwn(REGISTRATION_ROUTES, value)) throw new Error(`--route must be one of ${Object.keys(REGISTRATION_ROUTES).join(', ')}`);
  return value as RegistrationRoute;
}
