/**
 * Proposals on back-office cases (review_proposals): a decision held for a second reviewer by the tenant's four-eyes
 * setting, or an escalation. This module is the table's only writer and reader.
 *
 * At most one proposal per case is open (the partial unique index review_proposals_open_unique): a second one
 * opened at the same moment is refused with PROPOSAL_PENDING. Settling a proposal locks its row, re-checks it is
 * still open, runs the decision, and only then marks it resolved, in one transaction: a concurrent second settlement
 * waits on the lock and then finds it resolved, and a decision that fails leaves the proposal open.
 */
import { randomBytes } from 'node:crypto';
import { isUniqueViolation, type Knex } from '../../common/db';
import { ApiError, ProposalPendingError } from '../http/errors';
import { caseKey, caseRefPairs, type CaseRef } from './case-ref';
import type { DecisionKind, proposalSchema } from './schemas';
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

/** An open proposal as the rules read it: who proposed what, on which decision route. */
export interface OpenProposal {
  id: string;
  tenantId: string;
  kind: CaseProposal['kind'];
  decisionKind: DecisionKind;
  decision: string | null;
  reason: string;
  proposedByStaffId: string;
}

export interface NewProposal {
  tenantId: string;
  ref: CaseRef;
  kind: CaseProposal['kind'];
  decisionKind: DecisionKind;
  decision: string | null;
  reason: string;
  staffId: string;
}

export interface Resolution {
  outcome: 'CONFIRMED' | 'DECLINED' | 'DECIDED';
  staffId: string;
  reason?: string;
}

const newProposalId = () => `prp_${randomBytes(12).toString('hex')}`;

/** A proposal with how it was resolved (CONFIRMED, DECLINED, DECIDED), if it was. */
export type ProposalHistoryEntry = CaseProposal & {
  resolution: { at: string; by: string | null; outcome: string; reason: string | null } | null;
};

export function createReviewProposals(db: Knex) {
  async function view(trx: Knex, id: string): Promise<CaseProposal> {
    const row = await trx('review_proposals as p')
      .leftJoin('staff_accounts as a', 'a.id', 'p.proposed_by_staff_id')
      .where('p.id', id)
      .first<ProposalRow>('p.case_type', 'p.subject_id', 'p.kind', 'p.decision', 'p.reason', 'p.proposed_by_staff_id', 'a.email', 'p.created_at');
    return proposalOf(row, row.proposed_by_staff_id);
  }

  async function insert(trx: Knex, proposal: NewProposal): Promise<CaseProposal> {
    const id = newProposalId();
    try {
      await trx('review_proposals').insert({
        id,
        tenant_id: proposal.tenantId,
        case_type: proposal.ref.caseType,
        subject_id: proposal.ref.subjectId,
        decision_kind: proposal.decisionKind,
        kind: proposal.kind,
        decision: proposal.decision,
        reason: proposal.reason,
        proposed_by_staff_id: proposal.staffId,
      });
    } catch (error) {
      if (isUniqueViolation(error, 'review_proposals_open_unique')) throw new ProposalPendingError('Another reviewer has just opened a proposal on this case');
      throw error;
    }
    return view(trx, id);
  }

  /** Locks the proposal's row for the transaction; refuses one resolved meanwhile (a concurrent settlement won). */
  async function lockOpen(trx: Knex.Transaction, id: string): Promise<void> {
    const row = await trx('review_proposals').where({ id }).forUpdate().first<{ outcome: string | null } | undefined>('outcome');
    if (!row || row.outcome !== null) {
      throw new ApiError(409, 'INVALID_STATE', 'The proposal on this case was resolved meanwhile', [{ field: 'proposal', message: row?.outcome ?? 'UNKNOWN' }]);
    }
  }

  const markResolved = (trx: Knex.Transaction, id: string, resolution: Resolution) =>
    trx('review_proposals').where({ id }).whereNull('resolved_at').update({
      resolved_at: trx.fn.now(),
      resolved_by_staff_id: resolution.staffId,
      outcome: resolution.outcome,
      resolution_reason: resolution.reason ?? null,
    });

  return {
    /** The case's open proposal, if any, with the ids the four-eyes rules compare. */
    async openRecord(ref: CaseRef): Promise<OpenProposal | undefined> {
      const row = await db('review_proposals')
        .where({ case_type: ref.caseType, subject_id: ref.subjectId })
        .whereNull('resolved_at')
        .first<{ id: string; tenant_id: string; kind: CaseProposal['kind']; decision_kind: DecisionKind; decision: string | null; reason: string; proposed_by_staff_id: string } | undefined>(
          'id', 'tenant_id', 'kind', 'decision_kind', 'decision', 'reason', 'proposed_by_staff_id',
        );
      return (
        row && {
          id: row.id,
          tenantId: row.tenant_id,
          kind: row.kind,
          decisionKind: row.decision_kind,
          decision: row.decision,
          reason: row.reason,
          proposedByStaffId: row.proposed_by_staff_id,
        }
      );
    },

    /** Opens a proposal (four-eyes or escalation); PROPOSAL_PENDING when the case has one open already. */
    open: (proposal: NewProposal): Promise<CaseProposal> => insert(db, proposal),

    /**
     * Settles an open proposal: `work` (the decision, if any) runs while the proposal's row is locked, and the
     * proposal resolves only once it has succeeded; if it throws, nothing is resolved.
     */
    async settle<T>(id: string, resolution: Resolution, work: () => Promise<T>): Promise<T> {
      return db.transaction(async (trx) => {
        await lockOpen(trx, id);
        const result = await work();
        await markResolved(trx, id, resolution);
        return result;
      });
    },

    /** Resolves an open proposal and opens the next one on the same case, atomically (an escalation replaced by a four-eyes proposal). */
    async replace(id: string, resolution: Resolution, next: NewProposal): Promise<CaseProposal> {
      return db.transaction(async (trx) => {
        await lockOpen(trx, id);
        await markResolved(trx, id, resolution);
        return insert(trx, next);
      });
    },

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
