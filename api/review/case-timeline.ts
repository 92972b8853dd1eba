/**
 * The case's timeline, oldest first: status changes, checks, staff decisions (with reviewer and reason), document
 * uploads and reviews, four-eyes proposals and escalations, and the live claim. Each source is read by its owning
 * module; this only merges. Reasons are shown as staff read them in the verification history.
 */
import type { CaseClaim } from './claims';
import type { Checks } from './case-evidence';
import type { ProposalHistoryEntry } from './proposals';
import type { z } from '../http/openapi';
import type { timelineEntry } from './schemas';

export type TimelineEntry = z.output<typeof timelineEntry>;

export interface TimelineSources {
  statuses: Array<{ status: string; reason: string | null; actor: string | null; at: string | null }>;
  checks: Checks;
  documents: Array<{ type: string; fileName: string; history: Array<{ status: string; reason: string | null; actor: string; at: string }> }>;
  /** Document decisions are the case's own decisions on a DOCUMENT case, document reviews otherwise. */
  documentDecisionsAreTheCase: boolean;
  proposals: ProposalHistoryEntry[];
  claim: CaseClaim | null;
}

/** The organization workflow writes its review decision into the status reason: "Approved by staff:stf_…: why". */
const REVIEW_NOTE = /^(Approved|Rejected) by (\S+): ([\s\S]*)$/;

export function timelineOf(sources: TimelineSources): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const add = (at: string | null, kind: TimelineEntry['kind'], label: string, actor: string | null = null, reason: string | null = null) => {
    if (at) entries.push({ at, kind, label, actor, reason });
  };

  for (const s of sources.statuses) {
    const note = s.reason ? REVIEW_NOTE.exec(s.reason) : null;
    if (note) add(s.at, 'DECISION', `Review decision: ${s.status}`, note[2]!, note[3]!);
    else add(s.at, 'STATUS', `Status ${s.status}`, s.actor, s.reason);
  }

  for (const check of sources.checks.identity) {
    const name = check.subject.type === 'PARTY' ? `Identity check of ${check.subject.id}` : 'KYC check';
    add(check.startedAt, 'CHECK', `${name} opened (${check.provider})`);
    if (check.decidedAt && check.reviewer) add(check.decidedAt, 'DECISION', `${name}: ${check.status}`, check.reviewer, check.reason);
    else if (check.decidedAt) add(check.decidedAt, 'CHECK', `${name}: ${check.status}`, null, check.reason);
  }
  for (const check of sources.checks.kyb) {
    add(check.startedAt, 'CHECK', `KYB check opened (${check.provider})`);
    if (check.decidedAt && check.reviewer) add(check.decidedAt, 'DECISION', `KYB check: ${check.status}`, check.reviewer, check.reason);
    else if (check.decidedAt) add(check.decidedAt, 'CHECK', `KYB check: ${check.status}`, null, check.reason);
  }

  for (const doc of sources.documents) {
    for (const h of doc.history) {
      if (h.status === 'UPLOADED') add(h.at, 'DOCUMENT', `${doc.type} uploaded (${doc.fileName})`, h.actor);
      else add(h.at, sources.documentDecisionsAreTheCase ? 'DECISION' : 'DOCUMENT', `${doc.type} (${doc.fileName}): ${h.status}`, h.actor, h.reason);
    }
  }

  for (const p of sources.proposals) {
    const what = p.kind === 'FOUR_EYES' ? 'Four-eyes proposal' : 'Escalation';
    add(p.proposedAt, 'PROPOSAL', `${what}${p.decision ? `: ${p.decision}` : ''}`, p.proposedBy, p.reason);
    if (p.resolution) add(p.resolution.at, 'PROPOSAL', `${what} ${p.resolution.outcome}`, p.resolution.by, p.resolution.reason);
  }

  if (sources.claim) add(sources.claim.claimedAt, 'CLAIM', `Claimed until ${sources.claim.expiresAt}`, `staff:${sources.claim.staffId}`);

  // Stable: entries at the same instant keep the order above (status, check, decision, document, proposal, claim).
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
