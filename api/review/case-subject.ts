/**
 * The subject's fields on the case page, and who sees them decoded. The rule mirrors the Temporal UI's codec,
 * whose decoded payloads are for compliance: a viewer holding COMPLIANCE_OFFICER or AUDITOR sees personal data
 * decoded (sealed values are opened with their field cipher); any other viewer (OPERATOR) sees each personal
 * field `masked: true` with value null, and sealed values are not even opened for them. Personal data is what
 * names or reaches a natural person: names, e-mail, phone, date of birth, nationality, residence, address. A
 * company's own data (legal name, registration number, country), statuses and ids are shown to every viewer.
 * Tax ids are shown to everyone only in the masked copy made when they were sealed (last 4 characters).
 */
import type { StaffRole } from '../../common/access';
import type { ProfileDetails } from '../../common/onboarding-contract';
import type { OrganizationDetails } from '../../common/organization-contract';
import type { TaxId } from '../../common/tax-ids';
import type { z } from '../http/openapi';
import type { subjectField } from './schemas';

export type SubjectField = z.output<typeof subjectField>;

export interface CaseViewer {
  staffId: string;
  roles: readonly StaffRole[];
}

const DECODING_ROLES: ReadonlySet<StaffRole> = new Set(['COMPLIANCE_OFFICER', 'AUDITOR']);

/** Whether this viewer sees personal data decoded (see the module header). */
export const decodesPersonalData = (viewer: CaseViewer): boolean => viewer.roles.some((role) => DECODING_ROLES.has(role));

/** Builds the field list for one viewer: personal fields are masked unless the viewer decodes. */
export function fieldWriter(decodes: boolean) {
  const fields: SubjectField[] = [];
  return {
    fields,
    /** Data about the company or the case: shown to every viewer. */
    plain(name: string, label: string, value: string | null | undefined) {
      fields.push({ name, label, value: value ?? null, masked: false });
    },
    /** Personal data: decoded for compliance and audit, masked for everyone else. */
    personal(name: string, label: string, value: string | null | undefined) {
      fields.push(decodes ? { name, label, value: value ?? null, masked: false } : { name, label, value: null, masked: true });
    },
    /** A value shown in its masked form to every viewer (tax ids); none given is not a masked value. */
    alwaysMasked(name: string, label: string, value: string | null) {
      fields.push({ name, label, value, masked: value !== null });
    },
  };
}

/** A person's name where the viewer may see it; otherwise a stand-in naming the party id only. */
export const personName = (decodes: boolean, id: string, first?: string | null, last?: string | null): string =>
  decodes ? [first, last].filter(Boolean).join(' ') || id : `Person ${id} (masked)`;

export function formatAddress(address: ProfileDetails['address'] | null | undefined): string | null {
  if (!address) return null;
  const city = [address.postalCode, address.city].filter(Boolean).join(' ');
  return [address.line1, address.line2, city, address.subdivisionCode, address.country].filter(Boolean).join(', ');
}

/** The masked copy of tax ids ("USA SSN ****6789"), never the sealed value. */
export function formatMaskedTaxIds(masked: unknown): string | null {
  if (!Array.isArray(masked) || masked.length === 0) return null;
  return (masked as TaxId[]).map((id) => `${id.country_code} ${id.document_type} ${id.document_id}`).join('; ');
}

export interface IndividualRecord {
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  status: string;
  createdAt: string;
  profile: { dateOfBirth: string; nationality: string; countryOfResidence: string; address: ProfileDetails['address'] | null; taxIdsMasked: unknown } | null;
}

export function individualFields(person: IndividualRecord, decodes: boolean): SubjectField[] {
  const w = fieldWriter(decodes);
  const profile = person.profile;
  w.personal('firstName', 'First name', person.firstName);
  w.personal('lastName', 'Last name', person.lastName);
  w.personal('dateOfBirth', 'Date of birth', profile?.dateOfBirth);
  w.personal('nationality', 'Nationality', profile?.nationality);
  w.personal('countryOfResidence', 'Country of residence', profile?.countryOfResidence);
  w.personal('address', 'Address', formatAddress(profile?.address));
  w.personal('email', 'E-mail', person.email);
  w.personal('phone', 'Phone', person.phone);
  w.alwaysMasked('taxIds', 'Tax ids', formatMaskedTaxIds(profile?.taxIdsMasked));
  w.plain('status', 'Status', person.status);
  w.plain('registeredAt', 'Registered', person.createdAt);
  return w.fields;
}

/**
 * A person of an organization: what the organization's records hold, gaps filled by what the person supplied for
 * their identity check (sealed with the identity-details cipher; `supplied` is opened only for a decoding viewer).
 */
export function organizationPersonFields(
  party: { email?: string; dateOfBirth?: string; nationality?: string; countryOfResidence?: string; jobTitle?: string },
  supplied: Partial<ProfileDetails> | undefined,
  decodes: boolean,
): SubjectField[] {
  const w = fieldWriter(decodes);
  w.personal('email', 'E-mail', party.email);
  w.personal('dateOfBirth', 'Date of birth', party.dateOfBirth ?? supplied?.dateOfBirth);
  w.personal('nationality', 'Nationality', party.nationality ?? supplied?.nationality);
  w.personal('countryOfResidence', 'Country of residence', party.countryOfResidence ?? supplied?.countryOfResidence);
  w.personal('address', 'Address', formatAddress(supplied?.address));
  w.plain('jobTitle', 'Job title', party.jobTitle);
  return w.fields;
}

/** An organization as its service reads it for staff: the registered business, its representative and states. */
export interface OrganizationRecord extends OrganizationDetails {
  representative: { firstName: string; lastName: string; email: string; phone: string | null };
  status: string;
  kybStatus: string;
  createdAt: string;
}

export function organizationFields(org: OrganizationRecord, decodes: boolean): SubjectField[] {
  const w = fieldWriter(decodes);
  w.plain('legalName', 'Legal name', org.businessName);
  w.plain('businessType', 'Legal form', org.businessType);
  w.plain('registrationNumber', 'Registration number', org.registrationNumber);
  w.plain('countryOfIncorporation', 'Country of incorporation', org.countryOfIncorporation);
  w.plain('dateOfIncorporation', 'Date of incorporation', org.dateOfIncorporation);
  w.plain('industryType', 'Industry (NACE section)', org.industryType);
  // A contact address or number may well be a person's own: treated as personal data.
  w.personal('contactEmail', 'Contact e-mail', org.contactEmail);
  w.personal('contactPhone', 'Contact phone', org.contactPhone);
  w.personal('representativeName', 'Representative', `${org.representative.firstName} ${org.representative.lastName}`);
  w.personal('representativeEmail', 'Representative e-mail', org.representative.email);
  w.personal('representativePhone', 'Representative phone', org.representative.phone);
  w.plain('status', 'Status', org.status);
  w.plain('kybStatus', 'KYB status', org.kybStatus);
  w.plain('registeredAt', 'Registered', org.createdAt);
  return w.fields;
}

export interface DocumentRecord {
  documentId: string;
  customerId: string;
  partyId: string | null;
  type: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  status: string;
  createdAt: string;
}

export function documentFields(doc: DocumentRecord, ownerType: string): SubjectField[] {
  const w = fieldWriter(true);
  w.plain('documentType', 'Document type', doc.type);
  w.plain('fileName', 'File name', doc.fileName);
  w.plain(ownerType === 'ORGANIZATION' ? 'organizationId' : 'customerId', ownerType === 'ORGANIZATION' ? 'Organization' : 'Customer', doc.customerId);
  w.plain('partyId', 'Person or company of the organization', doc.partyId);
  w.plain('contentType', 'Detected type', doc.contentType);
  w.plain('sizeBytes', 'Size (bytes)', String(doc.sizeBytes));
  w.plain('sha256', 'SHA-256', doc.sha256);
  w.plain('status', 'Status', doc.status);
  w.plain('uploadedAt', 'Uploaded', doc.createdAt);
  return w.fields;
}
