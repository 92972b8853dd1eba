/**
 * Escalating a case to a second reviewer, and declining an open proposal. An escalation is an ESCALATION proposal
 * with no decision: only a case waiting on staff can be escalated, and only when it has no open proposal. Declining
 * resolves the case's open proposal (four-eyes or escalation) DECLINED: the case is undecided again, and anyone but
 * the proposal's author — who may not decline their own — may decide it afresh. What a decision does while one is
 * open is the four-eyes gate's business (four-eyes.ts).
 */
import type { Knex } from '../../common/db';
import { NotFoundError, ProposalPendingError, SecondReviewerRequiredError } from '../http/errors';
import type { CaseRef } from './case-ref';
import { caseStateOf } from './case-state';
import type { ReviewClaims } from './claims';
import { assertMayAct } from './four-eyes';
import type { CaseProposal, ReviewProposals } from './proposals';

export interface EscalationDeps {
  db: Knex;
  claims: ReviewClaims;
  proposals: ReviewProposals;
}

export function createEscalations({ db, claims, proposals }: EscalationDeps) {
  return {
    async escalate(staffId: string, ref: CaseRef, reason: string): Promise<CaseProposal> {
      const state = await caseStateOf(db, ref);
      if (!state?.waitingOn) throw new NotFoundError('No such case waiting on staff');
      const open = await proposals.openRecord(ref);
      await assertMayAct(claims, ref, staffId, open);
      if (open) {
        throw new ProposalPendingError(`The case has an open ${open.kind} proposal already`, [{ field: 'proposedBy', message: `staff:${open.proposedByStaffId}` }]);
      }
      return proposals.open({ tenantId: state.tenantId, ref, kind: 'ESCALATION', decisionKind: state.waitingOn, decision: null, reason, staffId });
    },

    async decline(staffId: string, ref: CaseRef, reason: string): Promise<CaseProposal> {
      const open = await proposals.openRecord(ref);
      if (!open) throw new NotFoundError('No open proposal on this case');
      if (open.proposedByStaffId === staffId) throw new SecondReviewerRequiredError('Your own proposal is declined by a second reviewer, not by you');
      await assertMayAct(claims, ref, staffId, open);
      const [declined] = (await proposals.openFor([ref])).values();
      await proposals.settle(open.id, { outcome: 'DECLINED', staffId, reason }, async () => undefined);
      return declined!;
    },
  };
}

export type Escalations = ReturnType<typeof createEscalations>;
