/**
 * Rows of organization_parties and organization_ownerships, as the people service reads them, and their API
 * views. Every read names the tenant and the organization, and sees only live rows (removed_at IS NULL).
 */
import type { Knex } from '../../common/db';
import type { Holding, OwnershipStructure } from '../../common/ownership';
import type { PartyRole, PartyView } from './people-schemas';

export interface PartyRow {
  id: string;
  kind: 'PERSON' | 'COMPANY';
  is_representative: boolean;
  is_director: boolean;
  is_employee: boolean;
  is_shareholder: boolean;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  date_of_birth: string | null;
  nationality: string | null;
  country_of_residence: string | null;
  job_title: string | null;
  legal_name: string | null;
  registration_number: string | null;
  country_of_incorporation: string | null;
  created_at: Date;
}

export const ROLE_COLUMN = { REPRESENTATIVE: 'is_representative', DIRECTOR: 'is_director', EMPLOYEE: 'is_employee', SHAREHOLDER: 'is_shareholder' } as const satisfies Record<PartyRole, keyof PartyRow>;

/** The API's field name for each column a request may set. */
export const FIELD_COLUMN = {
  firstName: 'first_name',
  lastName: 'last_name',
  email: 'email',
  dateOfBirth: 'date_of_birth',
  nationality: 'nationality',
  countryOfResidence: 'country_of_residence',
  jobTitle: 'job_title',
  legalName: 'legal_name',
  registrationNumber: 'registration_number',
  countryOfIncorporation: 'country_of_incorporation',
} as const satisfies Record<string, keyof PartyRow>;

export type PartyField = keyof typeof FIELD_COLUMN;

export const rolesOf = (row: PartyRow): PartyRole[] => (Object.keys(ROLE_COLUMN) as PartyRole[]).filter((role) => row[ROLE_COLUMN[role]]);

export function partyView(row: PartyRow): PartyView {
  const fields = Object.fromEntries(
    (Object.entries(FIELD_COLUMN) as Array<[PartyField, keyof PartyRow]>).filter(([, column]) => row[column] !== null).map(([field, column]) => [field, row[column]]),
  );
  return { partyId: row.id, kind: row.kind, roles: rolesOf(row), ...fields, createdAt: row.created_at.toISOString() };
}

export const liveParties = (db: Knex, tenantId: string, organizationId: string) =>
  db('organization_parties').where({ tenant_id: tenantId, organization_id: organizationId }).whereNull('removed_at');

export const liveHoldings = (db: Knex, tenantId: string, organizationId: string) =>
  db('organization_ownerships').where({ tenant_id: tenantId, organization_id: organizationId }).whereNull('removed_at');

/** The organization's live parties and holdings, in a stable order. */
export async function loadStructure(db: Knex, tenantId: string, organizationId: string): Promise<{ rows: PartyRow[]; structure: OwnershipStructure }> {
  const rows = await liveParties(db, tenantId, organizationId).orderBy([{ column: 'created_at' }, { column: 'id' }]).select<PartyRow[]>('*');
  const holdingRows = await liveHoldings(db, tenantId, organizationId)
    .orderBy('id')
    .select<Array<{ owner_party_id: string; owned_party_id: string | null; percentage: string }>>('owner_party_id', 'owned_party_id', 'percentage');
  const holdings: Holding[] = holdingRows.map((h) => ({ ownerId: h.owner_party_id, ownedId: h.owned_party_id, percent: Number(h.percentage) }));
  return { rows, structure: { parties: rows.map((row) => ({ id: row.id, kind: row.kind })), holdings } };
}

/** The roles of these parties by party id (staff lists label a person by role, never by name). */
export async function partyRolesOf(db: Knex, partyIds: readonly string[]): Promise<Map<string, PartyRole[]>> {
  if (partyIds.length === 0) return new Map();
  const rows = await db('organization_parties').whereIn('id', partyIds).select<PartyRow[]>('id', ...Object.values(ROLE_COLUMN));
  return new Map(rows.map((row) => [row.id, rolesOf(row)]));
}
