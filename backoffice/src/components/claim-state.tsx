/** Who holds a case and until when, and an open proposal, in words (the queue's column and the case page). */
import type { Claim, Proposal } from '../api/types';
import { DECISION_LABELS } from '../api/cases';
import { formatTime } from '../lib/duration';

export function claimText(claim: Claim | null): string {
  if (!claim) return 'Unclaimed';
  const who = claim.mine ? 'you' : (claim.staffEmail ?? claim.staffId);
  return `Claimed by ${who} until ${formatTime(claim.expiresAt)}`;
}

export function proposalText(proposal: Proposal | null): string | null {
  if (!proposal) return null;
  const who = proposal.mine ? 'you' : (proposal.proposedByEmail ?? proposal.proposedBy);
  if (proposal.kind === 'ESCALATION') return `Escalated by ${who}`;
  const decision = proposal.decision ? (DECISION_LABELS[proposal.decision] ?? proposal.decision) : 'a decision';
  return `${decision} proposed by ${who}, waiting for a second reviewer`;
}

export function ClaimState({ claim, proposal }: { claim: Claim | null; proposal: Proposal | null }) {
  const proposed = proposalText(proposal);
  return (
    <>
      <span class={claim ? (claim.mine ? 'claim mine' : 'claim other') : 'claim'}>{claimText(claim)}</span>
      {proposed && <span class="proposal">{proposed}</span>}
    </>
  );
}
