/**
 * Proposals on back-office cases (review_proposals): a decision held for a second reviewer by the tenant's four-eyes
 * setting, or an escalation. This module is the table's only writer and reader.
 */
import type { Knex } from '../../common/db';
import { caseKey, caseRefPairs, type CaseRef } from './case-ref';
import type { proposalSchema } from './schemas';
import type { z } from '../http/openapi';

export type CaseProposal = z.output<typeof proposalSchema>;

interface ProposalRow {
  case_type: string;
  subject_id: string;
  kind: 'FOUR_EYES' | 'ESCALATION';
  decision: string | null;
  reason: string;
  proposed_by_staff_id: string;
  email: string | null;
  created_at: Date;
}

export const proposalOf = (row: ProposalRow, viewerStaffId: string | undefined): CaseProposal => ({
  kind: row.kind,
  decision: row.decision,
  reason: row.reason,
  proposedBy: `staff:${row.proposed_by_staff_id}`,
  proposedByEmail: row.email,
  proposedAt: row.created_at.toISOString(),
  mine: row.proposed_by_staff_id === viewerStaffId,
});

/** A proposal with how it was resolved (CONFIRMED, DECLINED, DECIDED), if it was. */
export type ProposalHistoryEntry = CaseProposal & {
  resolution: { at: string; by: string | null; outcome: string; reason: string | null } | null;
};

export function createReviewProposals(db: Knex) {
  return {
    /** Every proposal of one case, open or resolved, oldest first: the case page's timeline. */
    async historyFor(ref: CaseRef, viewerStaffId?: string): Promise<ProposalHistoryEntry[]> {
      const rows = await db('review_proposals as p')
        .leftJoin('staff_accounts as a', 'a.id', 'p.proposed_by_staff_id')
        .where({ 'p.case_type': ref.caseType, 'p.subject_id': ref.subjectId })
        .orderBy([{ column: 'p.created_at' }, { column: 'p.id' }])
        .select<Array<ProposalRow & { resolved_at: Date | null; resolved_by_staff_id: string | null; outcome: string | null; resolution_reason: string | null }>>(
          'p.case_type', 'p.subject_id', 'p.kind', 'p.decision', 'p.reason', 'p.proposed_by_staff_id', 'a.email', 'p.created_at',
          'p.resolved_at', 'p.resolved_by_staff_id', 'p.outcome', 'p.resolution_reason',
        );
      return rows.map((row) => ({
        ...proposalOf(row, viewerStaffId),
        resolution: row.resolved_at
          ? { at: row.resolved_at.toISOString(), by: row.resolved_by_staff_id ? `staff:${row.resolved_by_staff_id}` : null, outcome: row.outcome!, reason: row.resolution_reason }
          : null,
      }));
    },

    /** The open proposal of each of these cases, by caseKey. */
    async openFor(refs: readonly CaseRef[], viewerStaffId?: string): Promise<Map<string, CaseProposal>> {
      if (refs.length === 0) return new Map();
      const rows = await db('review_proposals as p')
        .leftJoin('staff_accounts as a', 'a.id', 'p.proposed_by_staff_id')
        .whereIn(['p.case_type', 'p.subject_id'], caseRefPairs(refs))
        .whereNull('p.resolved_at')
        .select<ProposalRow[]>('p.case_type', 'p.subject_id', 'p.kind', 'p.decision', 'p.reason', 'p.proposed_by_staff_id', 'a.email', 'p.created_at');
      return new Map(rows.map((row) => [caseKey({ caseType: row.case_type as CaseRef['caseType'], subjectId: row.subject_id }), proposalOf(row, viewerStaffId)]));
    },
  };
}

export type ReviewProposals = ReturnType<typeof createReviewProposals>;
