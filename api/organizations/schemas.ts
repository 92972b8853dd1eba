/**
 * Organization request and response bodies (seed 000 "Create Organization", seed 002 "/organization/registration").
 * Field rules come from api/schemas/customer-fields.ts, so a country, an e-mail or a phone number is checked the
 * same way for a company as for a person. `industryType` must also name a NACE section in the reference data,
 * which the registration service checks against the database.
 */
import { KYB_STATUSES, ORGANIZATION_STATUSES } from '../../common/statuses';
import { LIFECYCLE_STATUSES } from '../../common/lifecycle';
import { z } from '../http/openapi';
import { countryCode, emailAddress, lowercaseEmail, personName, phoneNumber } from '../schemas/customer-fields';

/** The legal forms a tenant may send, broad enough to map any jurisdiction's form onto one of them. */
export const BUSINESS_TYPES = [
  'SOLE_PROPRIETORSHIP',
  'PARTNERSHIP',
  'LIMITED_PARTNERSHIP',
  'PRIVATE_LIMITED_COMPANY',
  'PUBLIC_LIMITED_COMPANY',
  'LIMITED_LIABILITY_COMPANY',
  'CORPORATION',
  'COOPERATIVE',
  'NON_PROFIT',
  'TRUST',
  'OTHER',
] as const;

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

const businessName = z
  .string()
  .trim()
  .min(1, 'Must not be empty')
  .max(200, 'Must be at most 200 characters')
  .refine((value) => !CONTROL_CHARS.test(value), 'Must not contain control characters')
  .openapi({ example: 'Acme Trading Ltd' });

/**
 * As the registry writes it: letters, digits, spaces and . / - only. Duplicates are compared without spaces or
 * dashes and without letter case (the database's registration_number_key), so "hrb 123-45" equals "HRB12345".
 */
const registrationNumber = z
  .string()
  .trim()
  .min(1, { error: 'Must not be empty', abort: true })
  .max(50, { error: 'Must be at most 50 characters', abort: true })
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ./-]*$/, 'Must start with a letter or digit and contain only letters, digits, spaces and . / -')
  .openapi({ example: '12345678' });

/** Today in UTC as YYYY-MM-DD (the API knows no company time zone). */
const todayUtc = () => new Date().toISOString().slice(0, 10);

/** A real calendar date, not in the future: a company incorporated today may register today. */
/** A missing field reads "Required" like every other; a custom message would hide that. */
const orRequired = (message: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'Required' : message);

const dateOfIncorporation = z.iso
  .date({ error: orRequired('Must be a real date in the form YYYY-MM-DD'), abort: true })
  .refine((date) => date <= todayUtc(), 'Must not be in the future')
  .openapi({ example: '2015-06-30' });

const industryType = z
  .string()
  .regex(/^[A-Z]$/, 'Must be a NACE Rev. 2 section code (A to U); see GET /v2/reference/industries')
  .openapi({ example: 'J', description: 'A code from GET /v2/reference/industries' });

/** The seed's eight required fields. */
export const organizationFields = {
  businessName,
  businessType: z.enum(BUSINESS_TYPES, { error: orRequired(`Must be one of ${BUSINESS_TYPES.join(', ')}`) }),
  registrationNumber,
  countryOfIncorporation: countryCode,
  dateOfIncorporation,
  industryType,
  contactEmail: lowercaseEmail.openapi({ example: 'finance@acme.example' }),
  contactPhone: phoneNumber,
};

/** The person who registers the organization and acts for it: their e-mail is verified with a code. */
export const representative = z
  .strictObject({ firstName: personName, lastName: personName, email: emailAddress, phone: phoneNumber.optional() })
  .openapi('OrganizationRepresentative');

/**
 * POST /v2/organization. The seed names no representative; one may be given. Without it the organization's
 * codes and notices go to `contactEmail` (see OrganizationRegistrationService.representativeOf).
 */
export const organizationV2Request = z
  .strictObject({ ...organizationFields, representative: representative.optional() })
  .openapi('OrganizationV2Request');

/** POST /api/v2.1/customer/organization/registration: the company, its representative and the captcha. */
export const organizationRegistrationRequest = z
  .strictObject({ ...organizationFields, representative, captcha: z.string().min(1, 'Captcha token is required') })
  .openapi('OrganizationRegistration');

export type OrganizationV2Request = z.output<typeof organizationV2Request>;

export const organizationCreated = z
  .object({
    organizationId: z.string().openapi({ example: 'org_3a9d0c7e1b5f2a4c6e8d0b1f' }),
    businessName: z.string(),
    status: z.enum(ORGANIZATION_STATUSES),
    createdAt: z.iso.datetime(),
    kybStatus: z.enum(KYB_STATUSES),
  })
  .openapi('OrganizationCreated');

export const organizationRegistered = organizationCreated
  .extend({ verificationEmailSent: z.boolean().openapi({ description: "A code went to the representative's e-mail" }) })
  .openapi('OrganizationRegistered');

const requirements = z.object({
  currentlyDue: z.array(z.string()),
  pendingVerification: z.array(z.string()),
  errors: z.array(z.object({ requirement: z.string(), reason: z.string() })),
});

export const organizationView = z
  .object({
    organizationId: z.string(),
    businessName: z.string(),
    businessType: z.enum(BUSINESS_TYPES, { error: orRequired(`Must be one of ${BUSINESS_TYPES.join(', ')}`) }),
    registrationNumber: z.string(),
    countryOfIncorporation: z.string(),
    dateOfIncorporation: z.string(),
    industryType: z.string(),
    contactEmail: z.string(),
    contactPhone: z.string(),
    representative: z.object({ firstName: z.string(), lastName: z.string(), email: z.string(), phone: z.string().nullable() }),
    status: z.enum(ORGANIZATION_STATUSES),
    kybStatus: z.enum(KYB_STATUSES),
    lifecycleStatus: z.enum(LIFECYCLE_STATUSES),
    requirements,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Organization');

export const reviewDecisionRequest = z.strictObject({
  decision: z.enum(['APPROVE', 'REJECT']),
  reason: z.string().trim().min(3, 'Give the reason for the decision').max(2000),
});

export const kybStarted = z.object({ organizationId: z.string(), kybStatus: z.enum(KYB_STATUSES) }).openapi('KybStarted');
