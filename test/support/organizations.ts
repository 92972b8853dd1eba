/**
 * Organizations for tests of the routes around one, until they can be registered through the API: a `customers`
 * row of type ORGANIZATION as registration will write it (its person columns name the representative). Kept
 * apart so the tests switch to `POST /organization/registration` by changing this file only. Below it, the request
 * bodies and checks the organization people tests share.
 */
import { randomBytes } from 'node:crypto';
import type { Harness } from './harness';
import { uniqueEmail, type HttpResult } from './tenant-client';

export interface TestOrganization {
  organizationId: string;
  path: string;
}

export async function createOrganization(h: Harness, tenantId: string, status = 'ONBOARDING'): Promise<TestOrganization> {
  const organizationId = `org_${randomBytes(12).toString('hex')}`;
  await h.db('customers').insert({
    id: organizationId,
    tenant_id: tenantId,
    type: 'ORGANIZATION',
    status,
    first_name: 'Rita',
    last_name: 'Representative',
    email: uniqueEmail('representative'),
  });
  // Its profile, as registration writes it: the people gate reads its KYB status.
  const suffix = randomBytes(5).toString('hex');
  await h.db('organization_profiles').insert({
    tenant_id: tenantId,
    customer_id: organizationId,
    business_name: `Test Company ${suffix}`,
    business_type: 'PRIVATE_LIMITED_COMPANY',
    registration_number: `REG-${suffix}`,
    country_of_incorporation: 'GBR',
    date_of_incorporation: '2015-06-30',
    industry_code: 'J',
    contact_email: `finance.${suffix}@example.com`,
    contact_phone: '+442079460958',
  });
  return { organizationId, path: `/api/v2.1/customer/${organizationId}` };
}

/** The id of a fresh organization, for tests of a feature that needs one to hang on (documents, KYB, identity). */
export async function newOrganizationId(h: Harness, tenantId: string): Promise<string> {
  return (await createOrganization(h, tenantId)).organizationId;
}

/** Moves the organization on, as its onboarding would once verification starts. */
export async function setOrganizationStatus(h: Harness, tenantId: string, organizationId: string, status: string): Promise<void> {
  await h.db('customers').where({ tenant_id: tenantId, id: organizationId }).update({ status });
}

const PARTY_ID = /^pty_[0-9a-f]{24}$/;

/** Request bodies: a person (unique e-mail), a person shareholder, a company shareholder (unique registration number). */
export const person = (firstName: string, overrides: Record<string, unknown> = {}) => ({ firstName, lastName: 'Example', email: uniqueEmail(firstName.toLowerCase()), ...overrides });
export const personShare = (firstName: string, ownershipPercent: number, overrides: Record<string, unknown> = {}) => ({ kind: 'PERSON', ...person(firstName), ownershipPercent, ...overrides });
export const companyShare = (legalName: string, ownershipPercent: number, overrides: Record<string, unknown> = {}) => ({
  kind: 'COMPANY',
  legalName,
  registrationNumber: `HRB-${randomBytes(4).toString('hex')}`,
  countryOfIncorporation: 'DEU',
  ownershipPercent,
  ...overrides,
});

/** Expects a 201 with a party and returns its body. */
export async function created(res: Promise<HttpResult>) {
  const answer = await res;
  expect({ status: answer.status, body: answer.body }).toEqual({ status: 201, body: expect.objectContaining({ partyId: expect.stringMatching(PARTY_ID) }) });
  return answer.body;
}

export { expectValidationError as expectFieldError } from './expectations';

export const partyRows = (h: Harness, org: TestOrganization) => h.db('organization_parties').where({ organization_id: org.organizationId }).orderBy('created_at');
export const holdingRows = (h: Harness, org: TestOrganization) => h.db('organization_ownerships').where({ organization_id: org.organizationId }).orderBy('id');
export const byId = <T extends { partyId: string }>(list: T[]): Record<string, T> => Object.fromEntries(list.map((entry) => [entry.partyId, entry]));
/** An organization as a tenant would send it, for organization tests. */

export function organization(overrides: Record<string, unknown> = {}): Record<string, any> {
  const suffix = randomBytes(5).toString('hex');
  return {
    businessName: `Test Company ${suffix}`,
    businessType: 'PRIVATE_LIMITED_COMPANY',
    registrationNumber: `REG-${suffix}`,
    countryOfIncorporation: 'GBR',
    dateOfIncorporation: '2015-06-30',
    industryType: 'J',
    contactEmail: `finance.${suffix}@example.com`,
    contactPhone: '+44 20 7946 0958',
    ...overrides,
  };
}

export function representative(overrides: Record<string, unknown> = {}) {
  return { firstName: 'Grace', lastName: 'Hopper', email: `grace.${randomBytes(5).toString('hex')}@example.com`, ...overrides };
}

/** The v2.1 registration body: the company, its representative and the captcha. */
export function organizationRegistration(overrides: Record<string, unknown> = {}): Record<string, any> {
  return { ...organization(), representative: representative(), captcha: '03AGdBq26FHIOiuI9', ...overrides };
}
