/**
 * Requirement derivation, pure (no Temporal calls, unit-tested on its own). A flow says what is outstanding at
 * its current step (`due`); the kind of that step says who has it: on a step that waits on the customer or the
 * tenant it is currently due, on a provider check or a staff decision it is pending verification. Flows add what
 * is pending beside the step (checks running in parallel) and what failed, with a reason a tenant can act on.
 */
import type { RequirementError, Requirements } from '../../common/lifecycle';

/** Who holds a step: the customer or tenant (`await`), a provider (`check`) or staff (`staff`). */
export type StepKind = 'await' | 'check' | 'staff';

export interface RequirementFacts {
  /** The kind of the current step; undefined once the flow has ended. */
  kind: StepKind | undefined;
  /** What is outstanding at the current step, in the order it must be done. */
  due: readonly string[];
  /** Being checked beside the current step (e.g. a check running while documents are still due). */
  pending?: readonly string[];
  errors?: readonly RequirementError[];
}

export function deriveRequirements({ kind, due, pending = [], errors = [] }: RequirementFacts): Requirements {
  const othersHoldIt = kind === 'check' || kind === 'staff';
  return {
    currentlyDue: kind === 'await' ? [...due] : [],
    pendingVerification: [...(othersHoldIt ? due : []), ...pending],
    errors: errors.map((error) => ({ ...error })),
  };
}

/** What the DueRequirement search attribute shows: the first thing the tenant must do now, if any. */
export function firstDue(requirements: Requirements): string | null {
  return requirements.currentlyDue[0] ?? null;
}
