/**
 * Who owns an organization, and how much, through any chain of companies. Pure and deterministic (no I/O, no
 * clock), so the API and a workflow reach the same answer from the same facts.
 *
 * The structure is a set of holdings "owner holds p % of owned", where owned is the organization itself (null) or a
 * company party. A person's effective ownership multiplies the percentages along each path up to the organization
 * and adds the paths. Ultimate beneficial owners are the persons whose effective ownership reaches the threshold.
 * Percentages are summed in hundredths of a percent, so 33.33 + 33.33 + 33.34 is exactly 100 and not a float's
 * 100.00000000000001.
 */

/** The share an owner must reach to be a beneficial owner, unless the tenant sets `uboThresholdPercent`. */
export const DEFAULT_UBO_THRESHOLD_PERCENT = 25;

export type PartyKind = 'PERSON' | 'COMPANY';

export interface OwnershipParty {
  id: string;
  kind: PartyKind;
}

export interface Holding {
  ownerId: string;
  /** null: the organization itself. */
  ownedId: string | null;
  percent: number;
}

export interface OwnershipStructure {
  parties: readonly OwnershipParty[];
  holdings: readonly Holding[];
}

export type OwnershipProblem =
  | { kind: 'UNKNOWN_OWNER'; ownerId: string }
  | { kind: 'UNKNOWN_OWNED'; ownedId: string }
  | { kind: 'OWNED_NOT_A_COMPANY'; ownedId: string }
  | { kind: 'PERCENT_OUT_OF_RANGE'; ownerId: string; ownedId: string | null; percent: number }
  | { kind: 'DUPLICATE_HOLDING'; ownerId: string; ownedId: string | null }
  | { kind: 'OVER_100_PERCENT'; ownedId: string | null; totalPercent: number }
  | { kind: 'CYCLE'; partyIds: string[] };

export interface BeneficialOwner {
  partyId: string;
  effectivePercent: number;
}

/** Effective shares within this distance of the threshold count as reaching it (float products are inexact). */
const TOLERANCE = 1e-9;

const hundredths = (percent: number) => Math.round(percent * 100);
const nameOf = (ownedId: string | null) => ownedId ?? 'the organization';

/** Every reason the structure cannot be a true picture of ownership; empty when it can. */
export function ownershipProblems({ parties, holdings }: OwnershipStructure): OwnershipProblem[] {
  const kindOf = new Map(parties.map((party) => [party.id, party.kind]));
  const problems: OwnershipProblem[] = [];
  const seen = new Set<string>();
  const totals = new Map<string | null, number>();

  for (const { ownerId, ownedId, percent } of holdings) {
    if (!kindOf.has(ownerId)) problems.push({ kind: 'UNKNOWN_OWNER', ownerId });
    if (ownedId !== null && !kindOf.has(ownedId)) problems.push({ kind: 'UNKNOWN_OWNED', ownedId });
    if (ownedId !== null && kindOf.get(ownedId) === 'PERSON') problems.push({ kind: 'OWNED_NOT_A_COMPANY', ownedId });
    if (!(percent > 0 && percent <= 100)) problems.push({ kind: 'PERCENT_OUT_OF_RANGE', ownerId, ownedId, percent });
    const key = `${ownerId}\u0000${ownedId ?? ''}`;
    if (seen.has(key)) problems.push({ kind: 'DUPLICATE_HOLDING', ownerId, ownedId });
    seen.add(key);
    totals.set(ownedId, (totals.get(ownedId) ?? 0) + hundredths(percent));
  }
  for (const [ownedId, total] of totals) {
    if (total > 100 * 100) problems.push({ kind: 'OVER_100_PERCENT', ownedId, totalPercent: total / 100 });
  }
  const cycle = findCycle(holdings);
  if (cycle) problems.push({ kind: 'CYCLE', partyIds: cycle });
  return problems;
}

/** One sentence naming the entity at fault, for an API error or a requirement error. */
export function describeProblem(problem: OwnershipProblem): string {
  switch (problem.kind) {
    case 'UNKNOWN_OWNER':
      return `Owner ${problem.ownerId} is not a party of this organization`;
    case 'UNKNOWN_OWNED':
      return `Owned company ${problem.ownedId} is not a party of this organization`;
    case 'OWNED_NOT_A_COMPANY':
      return `${problem.ownedId} is a person; only the organization or a company can be owned`;
    case 'PERCENT_OUT_OF_RANGE':
      return `${problem.ownerId} would hold ${problem.percent}% of ${nameOf(problem.ownedId)}; a holding is more than 0 and at most 100%`;
    case 'DUPLICATE_HOLDING':
      return `${problem.ownerId} already holds a share of ${nameOf(problem.ownedId)}; remove it to record another`;
    case 'OVER_100_PERCENT':
      return `The owners of ${nameOf(problem.ownedId)} would hold ${problem.totalPercent}% in all, over 100%`;
    case 'CYCLE':
      return `Ownership would go round in a circle: ${[...problem.partyIds, problem.partyIds[0]].join(' → ')}`;
  }
}

/**
 * Each party's effective share of the organization, in percent (0 when no path leads to it). Throws on a structure
 * with problems: check `ownershipProblems` first.
 */
export function effectiveOwnership(structure: OwnershipStructure): Map<string, number> {
  const problems = ownershipProblems(structure);
  if (problems.length) throw new Error(`Invalid ownership structure: ${describeProblem(problems[0])}`);
  // Each owner's holdings in one canonical order: float sums then do not depend on the order rows were listed in.
  const holdingsOf = new Map<string, Holding[]>();
  const canonical = [...structure.holdings].sort((a, b) => compareIds(a.ownedId ?? '', b.ownedId ?? ''));
  for (const holding of canonical) holdingsOf.set(holding.ownerId, [...(holdingsOf.get(holding.ownerId) ?? []), holding]);

  // Fraction of the organization a party holds; memoized, and finite because the structure has no cycle.
  const fraction = new Map<string, number>();
  const fractionOf = (partyId: string): number => {
    const known = fraction.get(partyId);
    if (known !== undefined) return known;
    const value = (holdingsOf.get(partyId) ?? []).reduce(
      (sum, { ownedId, percent }) => sum + (percent / 100) * (ownedId === null ? 1 : fractionOf(ownedId)),
      0,
    );
    fraction.set(partyId, value);
    return value;
  };
  return new Map(structure.parties.map((party) => [party.id, fractionOf(party.id) * 100]));
}

/** Persons whose effective ownership reaches `thresholdPercent`, largest share first (then by id, for stability). */
export function ultimateBeneficialOwners(structure: OwnershipStructure, thresholdPercent: number): BeneficialOwner[] {
  const effective = effectiveOwnership(structure);
  return structure.parties
    .filter((party) => party.kind === 'PERSON' && effective.get(party.id)! >= thresholdPercent - TOLERANCE)
    .map((party) => ({ partyId: party.id, effectivePercent: effective.get(party.id)! }))
    .sort((a, b) => b.effectivePercent - a.effectivePercent || compareIds(a.partyId, b.partyId));
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A circle of owners (A holds B, B holds … A), starting at its smallest id, or undefined. Holdings of the organization end every path. */
function findCycle(holdings: readonly Holding[]): string[] | undefined {
  const owned = new Map<string, string[]>();
  for (const { ownerId, ownedId } of holdings) if (ownedId !== null) owned.set(ownerId, [...(owned.get(ownerId) ?? []), ownedId]);
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'open') return fromSmallestId(path.slice(path.indexOf(id)));
    state.set(id, 'open');
    path.push(id);
    for (const next of owned.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of [...owned.keys()].sort()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}

/** The same circle names its members in the same order whichever member the search entered it by. */
function fromSmallestId(cycle: string[]): string[] {
  const start = cycle.indexOf([...cycle].sort(compareIds)[0]);
  return [...cycle.slice(start), ...cycle.slice(0, start)];
}
