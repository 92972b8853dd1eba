/** A back-office case by its type and its subject's id, and the key maps of cases are kept under. */
import type { CaseType } from './schemas';

export interface CaseRef {
  caseType: CaseType;
  subjectId: string;
}

export const caseKey = (ref: CaseRef): string => `${ref.caseType}:${ref.subjectId}`;

/** Rows of the case tables (review_claims, review_proposals) matching any of these cases, in one query. */
export const caseRefPairs = (refs: readonly CaseRef[]): Array<[string, string]> => refs.map((ref) => [ref.caseType, ref.subjectId]);
