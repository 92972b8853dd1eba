/**
 * Where a back-office case stands, read through the modules that own its tables: its tenant, its status, and the
 * decision staff owe it now (`waitingOn`, by decisionKind; null when nothing waits on staff). Four-eyes and
 * escalations decide on it:
 * - INDIVIDUAL: a customer of type INDIVIDUAL in MANUAL_REVIEW waits on a KYC decision.
 * - ORGANIZATION: an organization in MANUAL_REVIEW waits on its review decision; one still ONBOARDING whose newest
 *   KYB check is in MANUAL_REVIEW (the KYB child's own review) on a KYB decision — as the review queue lists them.
 * - PERSON: an organization's person's identity check (by verification id) waits on an IDENTITY decision while it is
 *   in MANUAL_REVIEW, is the person's newest check and the organization is still ONBOARDING (api/identity/person-checks.ts).
 * - DOCUMENT: an UPLOADED document waits on a document decision. Staff may also revise a decided document (the
 *   documents route always allowed it), so a document decision is possible whatever the status.
 * The database leads the workflow here: a workflow persists a status before it applies it, so a case the database
 * shows out of review is not one the workflow would still let staff decide as the first decision of the case.
 */
import type { Knex } from '../../common/db';
import { documentCaseState } from '../documents/service';
import { ApiError } from '../http/errors';
import { personCheckOf } from '../identity/person-checks';
import { latestKybStatus } from '../kyb/service';
import { customerCaseState } from '../onboarding/records';
import type { CaseRef } from './case-ref';
import type { DecisionKind } from './schemas';

export interface CaseState {
  tenantId: string;
  /** The subject's status as staff read it (the KYB check's for a KYB review). */
  status: string;
  waitingOn: DecisionKind | null;
}

/** Undefined when the subject is unknown, or is not of the case's type (an organization's id as an INDIVIDUAL case). */
export async function caseStateOf(db: Knex, ref: CaseRef): Promise<CaseState | undefined> {
  if (ref.caseType === 'DOCUMENT') {
    const document = await documentCaseState(db, ref.subjectId);
    return document && { tenantId: document.tenantId, status: document.status, waitingOn: document.status === 'UPLOADED' ? 'DOCUMENT' : null };
  }
  if (ref.caseType === 'PERSON') {
    const check = await personCheckOf(db, ref.subjectId);
    return check && { tenantId: check.tenantId, status: check.status, waitingOn: check.waiting ? 'IDENTITY' : null };
  }
  const customer = await customerCaseState(db, ref.subjectId);
  if (!customer || customer.type !== ref.caseType) return undefined;
  const { tenantId, status } = customer;
  if (status === 'MANUAL_REVIEW') return { tenantId, status, waitingOn: ref.caseType === 'INDIVIDUAL' ? 'KYC' : 'ORGANIZATION_REVIEW' };
  if (ref.caseType === 'ORGANIZATION' && status === 'ONBOARDING' && (await latestKybStatus(db, tenantId, ref.subjectId)) === 'MANUAL_REVIEW') {
    return { tenantId, status: 'MANUAL_REVIEW', waitingOn: 'KYB' };
  }
  return { tenantId, status, waitingOn: null };
}

/** Whether a decision of this kind would be taken now (a document's at any time; the others only in review). */
export const decidable = (state: CaseState, kind: DecisionKind): boolean => kind === 'DOCUMENT' || state.waitingOn === kind;

/** A proposal is only recorded for a decision the case waits on: otherwise the same 409 the decision would get. */
export function requireDecidable(state: CaseState, kind: DecisionKind): void {
  if (!decidable(state, kind)) {
    throw new ApiError(409, 'INVALID_STATE', `The case is not waiting on a ${kind} decision`, [{ field: 'status', message: state.status }]);
  }
}
