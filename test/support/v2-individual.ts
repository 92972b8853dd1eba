/** Seed 004's example body for POST /v2/customers/individual, with a fresh e-mail and any section overridden. */
import { uniqueEmail } from './tenant-client';

export function v2Individual(overrides: { basic_info?: Record<string, unknown>; address?: Record<string, unknown>; financial_profile?: Record<string, unknown>; [key: string]: unknown } = {}) {
  const { basic_info, address, financial_profile, ...rest } = overrides;
  return {
    verification_type: 'STANDARD',
    basic_info: {
      first_name: 'Maria', middle_name: 'Elena', last_name: 'Garcia', dob: '1990-04-15', email: uniqueEmail('maria'),
      phone: '+14155552671', country_of_residence: 'USA', primary_nationality: 'USA', secondary_nationality: 'MEX', gender: 'FEMALE',
      tax_info: [{ country_code: 'USA', document_type: 'SSN', document_id: '123-45-6789' }],
      ...basic_info,
    },
    address: { street_line_1: '123 Market Street', street_line_2: 'Apt 4B', city: 'San Francisco', subdivision_code: 'US-CA', postal_code: '94103', country: 'USA', ...address },
    financial_profile: {
      employment_status: 'EMPLOYED', occupation_id: 42, purpose_id: 3, purpose_remarks: 'Personal remittances to family',
      source_of_funds_description: 'Monthly salary from employment', source_of_fund_ids: [1, 5], monthly_volume_usd: 5000,
      ...financial_profile,
    },
    meta_data: { reference: 'client-ref-abc-001' },
    ...rest,
  };
}
