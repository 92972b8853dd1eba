/**
 * What a compliance officer can do on the case: claim or release it, and the decisions `pendingDecision` allows,
 * each through a confirmation dialog with a required reason (optional for accepting a document, which the API takes
 * without one). With a four-eyes proposal by someone else open, the only decision offered is confirming the
 * proposed one, or declining the proposal; the proposer is offered none.
 * Outcomes are announced in the page's status region (200: the new status; 202: waiting for a second reviewer;
 * 409: the API's message) and the case reloads.
 */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { CASE_TYPE_LABELS, claimCase, declineProposal, decide, DECISION_LABELS, escalateCase, REASON_OPTIONAL, releaseCase } from '../../api/cases';
import type { CaseView } from '../../api/types';
import { ClaimState, claimText } from '../../components/claim-state';
import { ConfirmDialog } from '../../components/dialog';
import { useSession } from '../../lib/session';

type Action = { kind: 'decision'; decision: string } | { kind: 'escalate' } | { kind: 'decline' };

const REJECTIONS = new Set(['REJECT', 'REJECTED']);
const DONE: Record<string, string> = {
  APPROVE: 'Approved',
  REJECT: 'Rejected',
  ACCEPTED: 'Accepted',
  REJECTED: 'Rejected',
  REUPLOAD_REQUESTED: 'Re-upload requested',
};

export function CaseActions({ view, canDecide, reload }: { view: CaseView; canDecide: boolean; reload: () => Promise<void> }) {
  const { announce } = useSession();
  const [open, setOpen] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const pending = view.pendingDecision;
  const proposal = view.proposal;
  const caseLabel = `${CASE_TYPE_LABELS[view.caseType] ?? view.caseType} ${view.subjectId}`;

  /** Runs a call and announces its outcome; a 409 is an outcome too (announced, the dialog closes). */
  async function outcome(call: () => Promise<string>) {
    try {
      announce(await call());
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 409)) throw error;
      announce(error.message);
    }
    await reload();
  }

  async function claim(release: boolean) {
    setBusy(true);
    try {
      await outcome(async () => {
        if (release) return releaseCase(view.caseType, view.subjectId).then(() => 'Claim released');
        return claimText(await claimCase(view.caseType, view.subjectId));
      });
    } catch (error) {
      announce(error instanceof Error ? error.message : 'The claim failed');
    } finally {
      setBusy(false);
    }
  }

  async function confirm(action: Action, reason: string) {
    await outcome(async () => {
      if (action.kind === 'escalate') return escalateCase(view.caseType, view.subjectId, reason).then(() => 'Escalated to a second reviewer');
      if (action.kind === 'decline') return declineProposal(view.caseType, view.subjectId, reason).then(() => 'Proposal declined');
      const result = await decide(pending!, action.decision, reason);
      if (result.kind === 'awaiting-second-review') return 'Waiting for a second reviewer';
      const done = DONE[action.decision] ?? 'Decision recorded';
      return result.status ? `${done}. Status: ${result.status}` : done;
    });
  }

  const decisions = !pending || proposal?.mine ? [] : proposal?.kind === 'FOUR_EYES' && proposal.decision ? pending.decisions.filter((d) => d === proposal.decision) : pending.decisions;
  const button = (label: string, action: Action, className?: string) => (
    <button key={label} type="button" class={className} onClick={() => setOpen(action)}>
      {label}
    </button>
  );

  return (
    <section aria-labelledby="review-heading" class="review">
      <h2 id="review-heading">Review</h2>
      <p>
        <ClaimState claim={view.claim} proposal={proposal} />
      </p>
      {canDecide && pending && (
        <div class="buttons">
          {!view.claim && (
            <button type="button" disabled={busy} onClick={() => void claim(false)}>
              Claim
            </button>
          )}
          {view.claim?.mine && (
            <button type="button" disabled={busy} onClick={() => void claim(true)}>
              Release
            </button>
          )}
        </div>
      )}
      {!pending && <p>No decision is pending on this case.</p>}
      {pending && !canDecide && <p>Decisions are taken by compliance officers.</p>}
      {pending && canDecide && (
        <>
          {view.fourEyes && !proposal && <p class="hint">Four-eyes applies: a rejection (or, for an organization or its persons, any decision) waits for a second compliance officer.</p>}
          {proposal?.mine && (
            <p class="hint">
              {proposal.kind === 'ESCALATION'
                ? 'You escalated this case: another compliance officer must decide it.'
                : 'Another compliance officer must confirm or decline your proposal.'}
            </p>
          )}
          <div class="buttons">
            {decisions.map((decision) => button(DECISION_LABELS[decision] ?? decision, { kind: 'decision', decision }, REJECTIONS.has(decision) ? 'danger' : 'primary'))}
            {!proposal && button('Escalate', { kind: 'escalate' })}
            {proposal && !proposal.mine && button('Decline proposal', { kind: 'decline' })}
          </div>
        </>
      )}
      {open && (
        <ConfirmDialog
          title={titleOf(open, caseLabel)}
          withReason={open.kind === 'decision' && REASON_OPTIONAL.has(open.decision) ? 'optional' : true}
          onConfirm={(reason) => confirm(open, reason)}
          onClose={() => setOpen(null)}
        >
          <p>{explain(open, view)}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function titleOf(action: Action, caseLabel: string): string {
  if (action.kind === 'escalate') return `Escalate ${caseLabel}`;
  if (action.kind === 'decline') return `Decline the proposal on ${caseLabel}`;
  return `${DECISION_LABELS[action.decision] ?? action.decision}: ${caseLabel}`;
}

function explain(action: Action, view: CaseView): string {
  if (action.kind === 'escalate') return 'A second compliance officer will decide; you will not be able to decide this case yourself.';
  if (action.kind === 'decline') return 'The proposal is dropped and the case is undecided again.';
  if (view.proposal && !view.proposal.mine) {
    return `You are the second reviewer: confirming carries out the proposed decision with both of you recorded. The first reviewer's reason: “${view.proposal.reason}”.`;
  }
  if (view.fourEyes && (REJECTIONS.has(action.decision) || view.caseType === 'ORGANIZATION' || view.caseType === 'PERSON')) {
    return 'Four-eyes applies: if the rule holds this decision, it waits for a second compliance officer.';
  }
  if (REASON_OPTIONAL.has(action.decision)) return 'The decision is recorded at once with your name, and your reason if you give one.';
  return 'The decision goes to the onboarding at once and is kept in the audit trail with your name and reason.';
}
