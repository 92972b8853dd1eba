/**
 * Claims on back-office cases (review_claims): a reviewer takes a case so that two do not work it at once; a claim
 * lapses after REVIEW_CLAIM_MINUTES and is then anyone's to take. This module is the table's only writer and reader.
 */
import type { Knex } from '../../common/db';
import { caseKey, caseRefPairs, type CaseRef } from './case-ref';
import type { claimSchema } from './schemas';
import type { z } from '../http/openapi';

export type CaseClaim = z.output<typeof claimSchema>;

interface ClaimRow {
  case_type: string;
  subject_id: string;
  staff_id: string;
  email: string | null;
  claimed_at: Date;
  expires_at: Date;
}

const claimOf = (row: ClaimRow, viewerStaffId: string | undefined): CaseClaim => ({
  staffId: row.staff_id,
  staffEmail: row.email,
  claimedAt: row.claimed_at.toISOString(),
  expiresAt: row.expires_at.toISOString(),
  mine: row.staff_id === viewerStaffId,
});

export function createReviewClaims(db: Knex, settings: { claimMinutes: number }) {
  return {
    settings,

    /** The live (unexpired) claims on these cases, by caseKey. */
    async liveFor(refs: readonly CaseRef[], viewerStaffId?: string): Promise<Map<string, CaseClaim>> {
      if (refs.length === 0) return new Map();
      const rows = await db('review_claims as c')
        .leftJoin('staff_accounts as a', 'a.id', 'c.staff_id')
        .whereIn(['c.case_type', 'c.subject_id'], caseRefPairs(refs))
        .where('c.expires_at', '>', db.fn.now())
        .select<ClaimRow[]>('c.case_type', 'c.subject_id', 'c.staff_id', 'a.email', 'c.claimed_at', 'c.expires_at');
      return new Map(rows.map((row) => [caseKey({ caseType: row.case_type as CaseRef['caseType'], subjectId: row.subject_id }), claimOf(row, viewerStaffId)]));
    },
  };
}

export type ReviewClaims = ReturnType<typeof createReviewClaims>;
