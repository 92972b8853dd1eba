/** The review calls: the queue, one case, claims, decisions (through the case's documented route), four-eyes. */
import { query, request } from './client';
import type { AwaitingSecondReview, CaseView, Claim, QueuePage } from './types';

const ADMIN = '/api/v2.1/admin';
const casePath = (caseType: string, subjectId: string) => `${ADMIN}/cases/${encodeURIComponent(caseType)}/${encodeURIComponent(subjectId)}`;

export interface QueueFilters {
  tenantId?: string;
  caseType?: string;
  reason?: string;
  minWaitingMinutes?: string;
  claimed: 'any' | 'mine' | 'unclaimed';
}

export async function loadQueue(filters: QueueFilters, cursor: string | null): Promise<QueuePage> {
  const { body } = await request<QueuePage>('GET', `${ADMIN}/review-queue${query({ ...filters, cursor, limit: 25 })}`);
  return body;
}

export async function loadCase(caseType: string, subjectId: string): Promise<CaseView> {
  return (await request<CaseView>('GET', casePath(caseType, subjectId))).body;
}

export async function claimCase(caseType: string, subjectId: string): Promise<Claim> {
  return (await request<Claim>('POST', `${casePath(caseType, subjectId)}/claim`)).body;
}

export async function releaseCase(caseType: string, subjectId: string): Promise<void> {
  await request('DELETE', `${casePath(caseType, subjectId)}/claim`);
}

export async function escalateCase(caseType: string, subjectId: string, reason: string): Promise<void> {
  await request('POST', `${casePath(caseType, subjectId)}/escalation`, { body: { reason } });
}

export async function declineProposal(caseType: string, subjectId: string, reason: string): Promise<void> {
  await request('POST', `${casePath(caseType, subjectId)}/proposal/decline`, { body: { reason } });
}

export type DecisionOutcome = { kind: 'decided'; status: string | null } | { kind: 'awaiting-second-review' };

/**
 * Sends a decision to the route the case names (`pendingDecision`: method and path): documents take
 * `{status, reason}`, the others `{decision, reason}`. 202 means a second reviewer must confirm.
 */
export async function decide(pending: NonNullable<CaseView['pendingDecision']>, decision: string, reason: string): Promise<DecisionOutcome> {
  // An acceptance needs no reason: an empty one is left out rather than refused for being short.
  const given = reason === '' ? {} : { reason };
  const body = pending.kind === 'DOCUMENT' ? { status: decision, ...given } : { decision, ...given };
  const answer = await request<unknown>(pending.method, pending.path, { body });
  if (answer.status === 202) {
    const held = answer.body as Partial<AwaitingSecondReview> | undefined;
    if (!held || held.status === 'AWAITING_SECOND_REVIEW') return { kind: 'awaiting-second-review' };
  }
  const result = (answer.body ?? {}) as { status?: unknown; kybStatus?: unknown };
  const status = typeof result.status === 'string' ? result.status : typeof result.kybStatus === 'string' ? result.kybStatus : null;
  return { kind: 'decided', status };
}

/** Decisions the API takes without a reason (a document's acceptance); every other one needs it. */
export const REASON_OPTIONAL: ReadonlySet<string> = new Set(['ACCEPTED']);

/** What a reviewer reads on a decision's button. */
export const DECISION_LABELS: Record<string, string> = {
  APPROVE: 'Approve',
  REJECT: 'Reject',
  ACCEPTED: 'Accept',
  REJECTED: 'Reject',
  REUPLOAD_REQUESTED: 'Request re-upload',
};

export const CASE_TYPE_LABELS: Record<string, string> = {
  INDIVIDUAL: 'Individual',
  ORGANIZATION: 'Organization',
  DOCUMENT: 'Document',
  PERSON: 'Person of an organization',
};
