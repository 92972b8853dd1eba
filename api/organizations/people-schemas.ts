/**
 * Requests and answers of the organization people routes: directors, employees and shareholders (persons or
 * companies, with their holdings), and the computed ultimate beneficial owners.
 */
import { z } from '../http/openapi';
import { countryCode, emailAddress, personName } from '../schemas/customer-fields';
import { sharePercent } from '../schemas/percent';

/** REPRESENTATIVE: the person who registered the organization and acts for it (set at registration, not by these routes). */
export const PARTY_ROLES = ['REPRESENTATIVE', 'DIRECTOR', 'EMPLOYEE', 'SHAREHOLDER'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

const idPattern = (prefixes: string) => new RegExp(`^(${prefixes})_[0-9a-f]{24}$`);

/**
 * The `{orgId}` slot of /api/v2.1/customer/{…}: any customer id is well formed there, and one that is not an
 * organization of the caller's tenant (an individual, another tenant's organization, nobody) is a 404.
 */
export const organizationId = z
  .string()
  .regex(idPattern('org|cust'), 'Must be a customer id (org_ or cust_ and 24 lowercase hex digits)')
  .openapi({ example: 'org_5b0e8c1f2a7d94e3c6b10a2f' });

export const partyId = z
  .string()
  .regex(idPattern('pty'), 'Must be a pty_ id (pty_ and 24 lowercase hex digits)')
  .openapi({ example: 'pty_0f4c2a9b7d1e3f5a6b8c9d0e' });

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'Must not be empty')
    .max(max, `Must be at most ${max} characters`)
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'Must not contain control characters');

const pastDate = z.iso
  .date({ error: 'Must be a real date in the form YYYY-MM-DD', abort: true })
  .refine((date) => date < new Date().toISOString().slice(0, 10), 'Must be in the past')
  .openapi({ example: '1980-02-29' });

/** A person is known within an organization by e-mail: the same e-mail again gives that person another role. */
const personFields = {
  firstName: personName,
  lastName: personName,
  email: emailAddress.openapi({ description: 'Identifies the person within the organization; verification invitations go here' }),
  dateOfBirth: pastDate.optional(),
  nationality: countryCode.optional(),
  countryOfResidence: countryCode.optional(),
};

export const directorBody = z.strictObject(personFields).openapi('NewDirector');
export const employeeBody = z.strictObject({ ...personFields, jobTitle: text(100).optional() }).openapi('NewEmployee');

const holdingFields = {
  ownershipPercent: sharePercent.openapi({ description: 'Share held directly, in percent (two decimals at most)' }),
  ownerOf: partyId.optional().openapi({
    description: 'A company shareholder (its pty_ id) that this shareholder owns; absent: the organization itself',
  }),
};

export const shareholderBody = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('PERSON'), ...personFields, ...holdingFields }),
    z.strictObject({
      kind: z.literal('COMPANY'),
      legalName: text(200),
      /** With the country, identifies the company within the organization. */
      registrationNumber: text(100),
      countryOfIncorporation: countryCode,
      ...holdingFields,
    }),
  ])
  .openapi('NewShareholder');

export type PersonInput = z.output<typeof employeeBody>;
export type ShareholderInput = z.output<typeof shareholderBody>;

export const partyResponse = z
  .object({
    partyId: z.string(),
    kind: z.enum(['PERSON', 'COMPANY']),
    roles: z.array(z.enum(PARTY_ROLES)),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    email: z.string().optional(),
    dateOfBirth: z.string().optional(),
    nationality: z.string().optional(),
    countryOfResidence: z.string().optional(),
    jobTitle: z.string().optional(),
    legalName: z.string().optional(),
    registrationNumber: z.string().optional(),
    countryOfIncorporation: z.string().optional(),
    createdAt: z.string(),
  })
  .openapi('OrganizationParty');

export const shareholderResponse = partyResponse
  .extend({
    holdings: z.array(
      z.object({
        ownedPartyId: z.string().nullable().openapi({ description: 'null: the organization itself' }),
        ownershipPercent: z.number(),
      }),
    ),
    effectiveOwnershipPercent: z.number().openapi({ description: 'Share of the organization through every chain, rounded to 4 decimals' }),
    isUbo: z.boolean().openapi({ description: 'A person whose effective ownership reaches the tenant\'s uboThresholdPercent' }),
  })
  .openapi('Shareholder');

export const partyListResponse = z.object({ data: z.array(partyResponse) });
export const shareholderListResponse = z
  .object({ data: z.array(shareholderResponse), uboThresholdPercent: z.number() })
  .openapi('Shareholders');
export const uboListResponse = z
  .object({ data: z.array(shareholderResponse), uboThresholdPercent: z.number() })
  .openapi('UltimateBeneficialOwners');

export type PartyView = z.infer<typeof partyResponse>;
export type ShareholderView = z.infer<typeof shareholderResponse>;
