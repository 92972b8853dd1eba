/**
 * Pure shaping of party data: request fields to columns, a known party checked against a new request, and the
 * shareholder view with effective ownership and UBO flag.
 */
import { effectiveOwnership, ultimateBeneficialOwners, type OwnershipStructure } from '../../common/ownership';
import { ValidationError } from '../http/errors';
import { FIELD_COLUMN, partyView, type PartyField, type PartyRow } from './people-rows';
import type { ShareholderView } from './people-schemas';

export type FieldValues = Partial<Record<PartyField, string>>;

/** Names, e-mails and registration numbers match whatever their letter case; other fields exactly. */
const CASE_INSENSITIVE = new Set<PartyField>(['firstName', 'lastName', 'email', 'legalName', 'registrationNumber']);
const same = (field: PartyField, a: string, b: string) => (CASE_INSENSITIVE.has(field) ? a.toLowerCase() === b.toLowerCase() : a === b);
const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

const givenFields = (fields: FieldValues) =>
  (Object.entries(fields) as Array<[PartyField, string | undefined]>).filter((entry): entry is [PartyField, string] => entry[1] !== undefined && entry[0] in FIELD_COLUMN);

export function columnsOf(fields: FieldValues): Partial<PartyRow> {
  return Object.fromEntries(givenFields(fields).map(([field, value]) => [FIELD_COLUMN[field], value]));
}

/**
 * What to write so a known party also carries what this request says: its blanks are filled, and a value that
 * contradicts a stored one is a 400 (changing a verified subject's details is not what an add means).
 */
export function mergedFields(known: PartyRow, fields: FieldValues): Partial<PartyRow> {
  const changes: Record<string, string> = {};
  for (const [field, value] of givenFields(fields)) {
    const stored = known[FIELD_COLUMN[field]] as string | null;
    if (stored === null) changes[FIELD_COLUMN[field]] = value;
    else if (!same(field, stored, value)) {
      throw new ValidationError([{ field, message: `Differs from what ${known.id} already has; remove that party and add it again to change it` }]);
    }
  }
  return changes;
}

/** The shareholders among `rows`, with their direct holdings, effective ownership (4 decimals) and UBO flag. */
export function shareholderViews(rows: PartyRow[], structure: OwnershipStructure, threshold: number): ShareholderView[] {
  const effective = effectiveOwnership(structure);
  const ubos = new Set(ultimateBeneficialOwners(structure, threshold).map((owner) => owner.partyId));
  return rows
    .filter((row) => row.is_shareholder)
    .map((row) => ({
      ...partyView(row),
      holdings: structure.holdings.filter((h) => h.ownerId === row.id).map((h) => ({ ownedPartyId: h.ownedId, ownershipPercent: h.percent })),
      effectiveOwnershipPercent: round4(effective.get(row.id) ?? 0),
      isUbo: ubos.has(row.id),
    }));
}
