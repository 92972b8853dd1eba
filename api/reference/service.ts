/**
 * The global reference lists a v2 financial profile points into (see the create_reference_data migration).
 * Not tenant-owned, so no query filters on a tenant.
 */
import type { Knex } from '../../common/db';
import type { FieldIssue } from '../http/errors';

export const REFERENCE_KINDS = ['occupations', 'account-purposes', 'source-of-funds', 'industries'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

export interface ReferenceEntry {
  id: number;
  code: string;
  name: string;
}

export interface ReferenceIds {
  occupationId: number;
  purposeId: number;
  sourceOfFundIds: number[];
}

const TABLES: Record<ReferenceKind, string> = {
  occupations: 'occupations',
  'account-purposes': 'account_purposes',
  'source-of-funds': 'source_of_funds',
  industries: 'industries',
};

export function createReferenceDataService(db: Knex) {
  /**
   * Which of the ids exist, per kind: one query for all the kinds asked (a registration's hot path), whatever the
   * number of ids. No cache: a read per call is what keeps a list changed by a migration right on every replica.
   */
  async function existing(wanted: Partial<Record<ReferenceKind, number[]>>): Promise<Record<ReferenceKind, Set<number>>> {
    const kinds = REFERENCE_KINDS.filter((kind) => wanted[kind]?.length);
    const found = Object.fromEntries(REFERENCE_KINDS.map((kind) => [kind, new Set<number>()])) as Record<ReferenceKind, Set<number>>;
    if (kinds.length === 0) return found;
    const [first, ...rest] = kinds.map((kind) =>
      db(TABLES[kind]).whereIn('id', [...new Set(wanted[kind])]).select(db.raw('?::text as kind', [kind]), 'id'),
    );
    const rows: Array<{ kind: ReferenceKind; id: number }> = await (rest.length ? first.unionAll(rest, true) : first);
    for (const row of rows) found[row.kind].add(row.id);
    return found;
  }

  return {
    list(kind: ReferenceKind): Promise<ReferenceEntry[]> {
      return db(TABLES[kind]).select<ReferenceEntry[]>('id', 'code', 'name').orderBy('id');
    },

    /** An organization's `industryType` that names no NACE section, as validation details. */
    async unknownIndustry(code: string): Promise<FieldIssue[]> {
      const row = await db('industries').where({ code }).first('id');
      return row ? [] : [{ field: 'industryType', message: `Unknown industry code ${code}; see GET /v2/reference/industries` }];
    },

    /** The ids of a financial profile that name no entry, as validation details with the body's field paths. */
    async missingIds({ occupationId, purposeId, sourceOfFundIds }: ReferenceIds): Promise<FieldIssue[]> {
      const found = await existing({ occupations: [occupationId], 'account-purposes': [purposeId], 'source-of-funds': sourceOfFundIds });
      const { occupations, 'account-purposes': purposes, 'source-of-funds': sources } = found;
      const issues: FieldIssue[] = [];
      if (!occupations.has(occupationId)) {
        issues.push(unknown('financial_profile.occupation_id', 'occupation', occupationId, 'occupations'));
      }
      if (!purposes.has(purposeId)) {
        issues.push(unknown('financial_profile.purpose_id', 'account purpose', purposeId, 'account-purposes'));
      }
      sourceOfFundIds.forEach((id, index) => {
        if (!sources.has(id)) {
          issues.push(unknown(`financial_profile.source_of_fund_ids.${index}`, 'source of funds', id, 'source-of-funds'));
        }
      });
      return issues;
    },
  };
}

export type ReferenceDataService = ReturnType<typeof createReferenceDataService>;

function unknown(field: string, what: string, id: number, kind: ReferenceKind): FieldIssue {
  return { field, message: `Unknown ${what} id ${id}; see GET /v2/reference/${kind}` };
}
