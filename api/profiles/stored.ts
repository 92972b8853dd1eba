/**
 * An individual's profile as it stands, in seed 004's sections: the stored v2 details where registration or an
 * earlier PUT kept them, with the columns (`customer_profiles`) and the customer row (`customers`) as the truth
 * for what they hold (a contact change swaps the e-mail in `customers`). A customer who registered through v1 and
 * gave their profile in the old shape has no details: their sections come from the columns alone.
 */
import type { Knex } from '../../common/db';
import type { ProfileDetails } from '../../common/onboarding-contract';
import type { CustomerStatus } from '../../common/statuses';
import { NotFoundError } from '../http/errors';
import type { Address, FinancialProfile, MetaData } from './fields';

export interface ProfileSections {
  verification_type?: string;
  basic_info: Record<string, unknown>;
  address?: Address;
  financial_profile?: FinancialProfile;
  meta_data?: MetaData;
}

export interface StoredProfile {
  status: CustomerStatus;
  email: string;
  phone: string | null;
  taxIdsEncrypted: string | null;
  sections: ProfileSections;
}

interface Row {
  status: CustomerStatus;
  email: string;
  phone: string | null;
  first_name: string;
  last_name: string;
  date_of_birth: string | null;
  nationality: string | null;
  country_of_residence: string | null;
  address: ProfileDetails['address'] | null;
  details: Partial<ProfileSections> | null;
  tax_ids_encrypted: string | null;
}

/** `lock`: the customer row is locked for the caller's transaction (an active customer's change is written in it). */
export async function readStoredProfile(db: Knex, tenantId: string, customerId: string, { lock = false } = {}): Promise<StoredProfile> {
  const customer = db('customers').where({ tenant_id: tenantId, id: customerId, type: 'INDIVIDUAL' }).first('status', 'email', 'phone', 'first_name', 'last_name');
  const row = (await (lock ? customer.forUpdate() : customer)) as Omit<Row, 'date_of_birth' | 'nationality' | 'country_of_residence' | 'address' | 'details' | 'tax_ids_encrypted'> | undefined;
  if (!row) throw new NotFoundError('Customer not found');
  const profile = (await db('customer_profiles')
    .where({ tenant_id: tenantId, customer_id: customerId })
    .first('date_of_birth', 'nationality', 'country_of_residence', 'address', 'details', 'tax_ids_encrypted')) as Partial<Row> | undefined;
  return sectionsOf({ ...row, date_of_birth: null, nationality: null, country_of_residence: null, address: null, details: null, tax_ids_encrypted: null, ...profile });
}

function sectionsOf(row: Row): StoredProfile {
  const details = row.details ?? {};
  const basic: Record<string, unknown> = { first_name: row.first_name, last_name: row.last_name, ...details.basic_info };
  if (row.date_of_birth) Object.assign(basic, { dob: row.date_of_birth, primary_nationality: row.nationality, country_of_residence: row.country_of_residence });
  delete basic.email;
  delete basic.phone;
  return {
    status: row.status,
    email: row.email,
    phone: row.phone,
    taxIdsEncrypted: row.tax_ids_encrypted,
    sections: {
      ...(details.verification_type ? { verification_type: details.verification_type } : {}),
      basic_info: basic,
      address: details.address ?? (row.address ? addressFromColumns(row.address) : undefined),
      financial_profile: details.financial_profile,
      meta_data: details.meta_data,
    },
  };
}

function addressFromColumns(a: ProfileDetails['address']): Address {
  return {
    street_line_1: a.line1,
    ...(a.line2 ? { street_line_2: a.line2 } : {}),
    city: a.city,
    ...(a.postalCode ? { postal_code: a.postalCode } : {}),
    ...(a.subdivisionCode ? { subdivision_code: a.subdivisionCode } : {}),
    country: a.country,
  };
}
