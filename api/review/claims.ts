/**
 * Claims on back-office cases (review_claims): a reviewer takes a case so that two do not work it at once; a claim
 * lapses after REVIEW_CLAIM_MINUTES and is then anyone's to take. This module is the table's only writer and reader.
 *
 * Taking a case is one statement (insert … on conflict … do update … where): the row is new, lapsed, or already the
 * caller's, or the statement changes nothing. PostgreSQL serialises racing claims on the row, and re-checks the
 * `where` against the winner's row, so of two reviewers claiming at once exactly one gets it.
 */
import type { Knex } from '../../common/db';
import { CaseClaimedError } from '../http/errors';
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
  /** The live (unexpired) claims on these cases, by caseKey. */
  async function liveFor(refs: readonly CaseRef[], viewerStaffId?: string): Promise<Map<string, CaseClaim>> {
    if (refs.length === 0) return new Map();
    const rows = await db('review_claims as c')
      .leftJoin('staff_accounts as a', 'a.id', 'c.staff_id')
      .whereIn(['c.case_type', 'c.subject_id'], caseRefPairs(refs))
      .where('c.expires_at', '>', db.fn.now())
      .select<ClaimRow[]>('c.case_type', 'c.subject_id', 'c.staff_id', 'a.email', 'c.claimed_at', 'c.expires_at');
    return new Map(rows.map((row) => [caseKey({ caseType: row.case_type as CaseRef['caseType'], subjectId: row.subject_id }), claimOf(row, viewerStaffId)]));
  }

  async function liveClaimOn(ref: CaseRef, viewerStaffId?: string): Promise<CaseClaim | undefined> {
    return (await liveFor([ref], viewerStaffId)).get(caseKey(ref));
  }

  return {
    settings,
    liveFor,

    /**
     * The case's claim for `staffId`, for REVIEW_CLAIM_MINUTES from now: taken when free or lapsed, extended when
     * already theirs (claimedAt stays when they first took it). Another reviewer's live claim: CASE_CLAIMED.
     */
    async claim(ref: CaseRef & { tenantId: string }, staffId: string): Promise<CaseClaim> {
      for (let attempt = 0; ; attempt += 1) {
        const { rows } = await db.raw<{ rows: Array<Omit<ClaimRow, 'email'>> }>(
          `insert into review_claims as c (case_type, subject_id, tenant_id, staff_id, claimed_at, expires_at)
           values (?, ?, ?, ?, now(), now() + make_interval(mins => ?))
           on conflict (case_type, subject_id) do update
             set staff_id = excluded.staff_id,
                 tenant_id = excluded.tenant_id,
                 claimed_at = case when c.staff_id = excluded.staff_id and c.expires_at > now() then c.claimed_at else excluded.claimed_at end,
                 expires_at = excluded.expires_at
             where c.expires_at <= now() or c.staff_id = excluded.staff_id
           returning c.case_type, c.subject_id, c.staff_id, c.claimed_at, c.expires_at`,
          [ref.caseType, ref.subjectId, ref.tenantId, staffId, settings.claimMinutes],
        );
        if (rows[0]) return (await liveClaimOn(ref, staffId)) ?? claimOf({ ...rows[0], email: null }, staffId);
        const held = await liveClaimOn(ref, staffId);
        // The other claim lapsed between the statement and this read: try once more.
        if (held && !held.mine) throw new CaseClaimedError(held);
        if (attempt > 0) throw new Error('claim neither taken nor held');
      }
    },

    /** Gives up the caller's live claim; false when they hold none on the case. */
    async release(ref: CaseRef, staffId: string): Promise<boolean> {
      const deleted = await db('review_claims')
        .where({ case_type: ref.caseType, subject_id: ref.subjectId, staff_id: staffId })
        .where('expires_at', '>', db.fn.now())
        .delete();
      return deleted > 0;
    },

    /** For decisions: another reviewer's live claim on the case refuses the action (409 CASE_CLAIMED). */
    async assertNotClaimedByOther(ref: CaseRef, staffId: string): Promise<void> {
      const held = await liveClaimOn(ref, staffId);
      if (held && !held.mine) throw new CaseClaimedError(held);
    },

    /**
     * The live claims as a subquery (case_type, subject_id, staff_id), for the review queue's `claimed` filter, which
     * must be part of the paged query (filtering a page afterwards would leave pages short and cursors wrong).
     */
    liveClaimsQuery(): Knex.QueryBuilder {
      return db('review_claims').where('expires_at', '>', db.fn.now()).select('case_type', 'subject_id', 'staff_id');
    },
  };
}

export type ReviewClaims = ReturnType<typeof createReviewClaims>;
