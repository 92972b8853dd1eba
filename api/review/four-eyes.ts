/**
 * The four-eyes gate every staff decision route calls before it acts (kyc-decision, review-decision, kyb-decision,
 * a document's status, a verification's decision). In order:
 * 1. Another reviewer's live claim on the case refuses the decision (409 CASE_CLAIMED). A claim held by the author
 *    of the case's open proposal does not: proposing hands the case to a second reviewer.
 * 2. With no open proposal, a decision the tenant's rule holds (`fourEyesHolds`) is recorded as a FOUR_EYES
 *    proposal and answered 202 AWAITING_SECOND_REVIEW; nothing reaches the workflow and the case stays in review.
 *    Any other decision runs as it always did.
 * 3. An open FOUR_EYES proposal: its author deciding again is refused (409 SECOND_REVIEWER_REQUIRED); another
 *    reviewer's different decision too (409 PROPOSAL_PENDING: decline the proposal first); the same decision by
 *    another reviewer runs, with both reviewers named in the reason the workflow records, and the proposal resolves
 *    CONFIRMED after the decision succeeded (proposals.settle: locked row, resolved in the same transaction).
 * 4. An open ESCALATION: its author may not decide (409 SECOND_REVIEWER_REQUIRED). Another reviewer's decision
 *    follows rule 2: held by four-eyes, it replaces the escalation (resolved DECIDED) with that reviewer's FOUR_EYES
 *    proposal, which a third reviewer — or the one who escalated — confirms; not held, it runs and the escalation
 *    resolves DECIDED, the recorded reason naming who escalated.
 * A subject the case rules do not know (unknown id, wrong type) goes straight to the route's service, which answers
 * its 404 as before; a tenant without the setting sees no change but for claims and escalations.
 */
import type { Request } from 'express';
import type { Knex } from '../../common/db';
import { actorOf, actorLabel } from '../auth/actor';
import { CaseClaimedError, ProposalPendingError, SecondReviewerRequiredError } from '../http/errors';
import type { RouteAnswer } from '../http/route';
import type { TenantSettings, TenantSettingsService } from '../tenancy/tenant-settings';
import { caseKey, type CaseRef } from './case-ref';
import { caseStateOf, requireDecidable } from './case-state';
import { createReviewClaims, type ReviewClaims } from './claims';
import { createReviewProposals, type OpenProposal } from './proposals';
import type { DecisionKind } from './schemas';

/** A decision as the route received it; `reason` is optional only for a document's ACCEPTED. */
export interface DecisionAsk<Reason extends string | undefined = string | undefined> extends CaseRef {
  decisionKind: DecisionKind;
  decision: string;
  reason: Reason;
}

/** The decision itself, as the route always ran it, given the reason to record (naming both reviewers once confirmed). */
export type DecisionAct<Reason extends string | undefined = string | undefined> = (recordedReason: Reason) => Promise<RouteAnswer>;

/** Rejections in each route's words; REUPLOAD_REQUESTED asks for more and is not one. */
const REJECTIONS: ReadonlySet<string> = new Set(['REJECT', 'REJECTED']);
/** The cases `fourEyes.organizations` holds: the organization's own, and each of its persons' identity checks. */
export const ORGANIZATION_CASES: ReadonlySet<CaseRef['caseType']> = new Set(['ORGANIZATION', 'PERSON']);

/**
 * Whether the tenant's `fourEyes` rule holds this decision for a second compliance officer: every rejection
 * (`rejections`), every decision on an ORGANIZATION case — its review and its KYB — and on a PERSON case, since a
 * person's identity check is part of the organization's onboarding and its outcome decides the organization's
 * (`organizations`). A document is a DOCUMENT case whoever owns it: `organizations` does not hold an organization's
 * documents (accepting one or asking for it again can be revised later, and the organization's own decision is
 * held); `rejections` holds a document's rejection.
 */
export function fourEyesHolds(rule: TenantSettings['fourEyes'], caseType: CaseRef['caseType'], decision: string): boolean {
  return Boolean((rule?.rejections && REJECTIONS.has(decision)) || (rule?.organizations && ORGANIZATION_CASES.has(caseType)));
}

const staffLabel = (staffId: string) => `staff:${staffId}`;

/** The reason the workflow and history record for a confirmed decision: the proposal's, naming both reviewers. */
export function confirmedReason(proposal: Pick<OpenProposal, 'reason' | 'proposedByStaffId'>, confirmer: string, reason?: string): string {
  const own = reason && reason !== proposal.reason ? `: ${reason}` : '';
  return `${proposal.reason} (proposed by ${staffLabel(proposal.proposedByStaffId)}, confirmed by ${confirmer}${own})`;
}

/**
 * The reason recorded for a decision that settled an escalation, naming who escalated. A re-upload request's reason
 * is the customer's instruction (the tenant reads it), so it goes out as the reviewer wrote it; the proposal row
 * keeps who escalated and who decided.
 */
function escalatedReason(escalation: OpenProposal, decider: string, ask: DecisionAsk): string | undefined {
  if (ask.reason === undefined || ask.decision === 'REUPLOAD_REQUESTED') return ask.reason;
  return `${ask.reason} (escalated by ${staffLabel(escalation.proposedByStaffId)}, decided by ${decider})`;
}

/**
 * Rule 1 for every action on a case (decisions, escalation, decline): another reviewer's live claim refuses it with
 * CASE_CLAIMED, unless it is held by the author of the case's open proposal.
 */
export async function assertMayAct(claims: ReviewClaims, ref: CaseRef, staffId: string, open: OpenProposal | undefined): Promise<void> {
  if (!open) return claims.assertNotClaimedByOther(ref, staffId);
  const claim = (await claims.liveFor([ref], staffId)).get(caseKey(ref));
  if (claim && !claim.mine && claim.staffId !== open.proposedByStaffId) throw new CaseClaimedError(claim);
}

export interface FourEyesDeps {
  db: Knex;
  tenantSettings: Pick<TenantSettingsService, 'get'>;
  /** REVIEW_CLAIM_MINUTES (the claims module's setting; the gate only reads claims). */
  claimMinutes: number;
}

export function createFourEyes({ db, tenantSettings, claimMinutes }: FourEyesDeps) {
  const claims = createReviewClaims(db, { claimMinutes });
  const proposals = createReviewProposals(db);
  const awaiting = (proposal: unknown): RouteAnswer => ({ status: 202, body: { status: 'AWAITING_SECOND_REVIEW', proposal } });

  return {
    /** Runs `act` now, holds the decision as a proposal (202), or refuses it: see the module header. */
    async decide<Reason extends string | undefined>(req: Request, ask: DecisionAsk<Reason>, act: DecisionAct<Reason>): Promise<RouteAnswer> {
      const actor = actorOf(req);
      const ref: CaseRef = { caseType: ask.caseType, subjectId: ask.subjectId };
      const state = await caseStateOf(db, ref);
      if (!state) return act(ask.reason);
      const open = await proposals.openRecord(ref);
      await assertMayAct(claims, ref, actor.id, open);
      const held = fourEyesHolds((await tenantSettings.get(state.tenantId)).fourEyes, ask.caseType, ask.decision);
      const proposal = { tenantId: state.tenantId, ref, kind: 'FOUR_EYES' as const, decisionKind: ask.decisionKind, decision: ask.decision, reason: ask.reason ?? ask.decision, staffId: actor.id };

      if (!open) {
        if (!held) return act(ask.reason);
        requireDecidable(state, ask.decisionKind);
        return awaiting(await proposals.open(proposal));
      }
      if (open.proposedByStaffId === actor.id) {
        throw new SecondReviewerRequiredError(
          open.kind === 'FOUR_EYES'
            ? 'You proposed this decision: another compliance officer must confirm it'
            : 'You escalated this case: another compliance officer must decide it',
        );
      }
      const resolution = { staffId: actor.id, reason: ask.reason };
      if (open.kind === 'FOUR_EYES') {
        if (open.decisionKind !== ask.decisionKind || open.decision !== ask.decision) {
          throw new ProposalPendingError(`Another reviewer proposed ${open.decision} on this case: decline that proposal before deciding otherwise`, [
            { field: 'decision', message: open.decision ?? '' },
            { field: 'proposedBy', message: staffLabel(open.proposedByStaffId) },
          ]);
        }
        return proposals.settle(open.id, { ...resolution, outcome: 'CONFIRMED' }, () => act(confirmedReason(open, actorLabel(actor), ask.reason) as Reason));
      }
      if (held) {
        requireDecidable(state, ask.decisionKind);
        return awaiting(await proposals.replace(open.id, { ...resolution, outcome: 'DECIDED' }, proposal));
      }
      return proposals.settle(open.id, { ...resolution, outcome: 'DECIDED' }, () => act(escalatedReason(open, actorLabel(actor), ask) as Reason));
    },
  };
}

export type FourEyes = ReturnType<typeof createFourEyes>;
