/**
 * Who a KYC check is about, read by reference so personal data stays out of workflow payloads. A subject is the
 * onboarding customer itself (its `customers` row and profile) or a party of an organization, read through a
 * `PartyReader` seam: `organization_parties` belongs to the people service (api/organizations/people-service.ts),
 * whose reader activities/index.ts plugs in (tests may pass their own through the activity deps). Whatever the person supplied after an invitation (`identity_subject_details`,
 * encrypted) fills the gaps of either kind.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { SubjectRef } from '../common/identity-contract';
import type { Knex } from '../common/db';
import type { FieldCipher } from '../common/field-encryption';
import { identityDetailsContext } from '../common/identity-details';

/** What the provider may be given about a person; every field optional until the sources are merged. */
export interface SubjectData {
  firstName?: string;
  lastName?: string;
  email?: string;
  /** YYYY-MM-DD */
  dateOfBirth?: string;
  /** ISO 3166-1 alpha-3 */
  nationality?: string;
  /** ISO 3166-1 alpha-3 */
  countryOfResidence?: string;
}

/** The details a person supplies through the details route; stored as one encrypted JSON value. */
export interface SuppliedDetails {
  firstName?: string;
  lastName?: string;
  dateOfBirth: string;
  nationality: string;
  countryOfResidence: string;
  address: { line1: string; line2?: string; city: string; postalCode: string; subdivisionCode?: string; country: string };
}

/** A party's identity as the organization's records hold it; undefined when there is no such party. */
export interface PartyReader {
  read(tenantId: string, customerId: string, partyId: string): Promise<SubjectData | undefined>;
}

export const IdentitySubjectFailure = {
  NotFound: 'IdentitySubjectNotFound',
} as const;

export function createSubjectResolver({ db, partyReader, detailsCipher }: { db: Knex; partyReader: PartyReader; detailsCipher: FieldCipher }) {
  async function readCustomer(tenantId: string, customerId: string): Promise<SubjectData | undefined> {
    const row = await db('customers as c')
      .leftJoin('customer_profiles as p', function joinProfile() {
        this.on('p.customer_id', 'c.id').andOn('p.tenant_id', 'c.tenant_id');
      })
      .where({ 'c.tenant_id': tenantId, 'c.id': customerId })
      .first<
        | { first_name: string; last_name: string; email: string; date_of_birth: string | null; nationality: string | null; country_of_residence: string | null }
        | undefined
      >('c.first_name', 'c.last_name', 'c.email', 'p.date_of_birth', 'p.nationality', 'p.country_of_residence');
    if (!row) return undefined;
    return {
      firstName: row.first_name,
      lastName: row.last_name,
      email: row.email,
      dateOfBirth: row.date_of_birth ?? undefined,
      nationality: row.nationality ?? undefined,
      countryOfResidence: row.country_of_residence ?? undefined,
    };
  }

  async function readSupplied(tenantId: string, customerId: string, subjectId: string): Promise<SuppliedDetails | undefined> {
    const row = await db('identity_subject_details')
      .where({ tenant_id: tenantId, customer_id: customerId, subject_id: subjectId })
      .whereNotNull('details_encrypted')
      .first<{ details_encrypted: string } | undefined>('details_encrypted');
    if (!row) return undefined;
    return JSON.parse(detailsCipher.decrypt(row.details_encrypted, identityDetailsContext(tenantId, customerId, subjectId))) as SuppliedDetails;
  }

  return {
    /** The subject's data from its records, with the gaps filled by what the person supplied. */
    async resolve(tenantId: string, customerId: string, subject: SubjectRef): Promise<SubjectData> {
      const recorded = subject.type === 'CUSTOMER' ? await readCustomer(tenantId, subject.id) : await partyReader.read(tenantId, customerId, subject.id);
      if (!recorded) throw ApplicationFailure.nonRetryable(`No ${subject.type.toLowerCase()} ${subject.id} in this tenant`, IdentitySubjectFailure.NotFound);
      const supplied = await readSupplied(tenantId, customerId, subject.id);
      if (!supplied) return recorded;
      const { firstName, lastName, dateOfBirth, nationality, countryOfResidence } = supplied;
      return {
        ...recorded,
        firstName: recorded.firstName ?? firstName,
        lastName: recorded.lastName ?? lastName,
        dateOfBirth: recorded.dateOfBirth ?? dateOfBirth,
        nationality: recorded.nationality ?? nationality,
        countryOfResidence: recorded.countryOfResidence ?? countryOfResidence,
      };
    },
  };
}

export type SubjectResolver = ReturnType<typeof createSubjectResolver>;
