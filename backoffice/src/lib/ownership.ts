/**
 * The case page's ownership tree: the organization at the root, each holder beneath what it holds (companies
 * with their own holders beneath them), every person marked as a UBO or not and with their verification state.
 * The UBOs and effective shares are the API's (common/ownership.ts computes them); this only arranges them.
 *
 * A holding whose `ownedId` is not a company among the holders is a holding of the organization itself (the
 * API names the organization by its id; the domain model by null). A cycle, which the API refuses to store,
 * would end the branch rather than loop.
 */

export interface OwnershipFacts {
  thresholdPercent: number;
  holdings: ReadonlyArray<{ ownerId: string; ownerName: string; ownerKind: 'PERSON' | 'COMPANY'; ownedId: string; percent: number }>;
  ubos: ReadonlyArray<{ personId: string; name: string; effectivePercent: number }>;
  people: ReadonlyArray<{ personId: string; name: string; roles: string[]; verificationStatus: string }>;
}

export interface OwnerNode {
  id: string;
  name: string;
  kind: 'PERSON' | 'COMPANY';
  /** The share this owner holds of its parent. */
  percent: number;
  /** Set for a person who is an ultimate beneficial owner: their effective share of the organization. */
  uboPercent: number | null;
  verificationStatus: string | null;
  roles: string[];
  children: OwnerNode[];
}

export interface OwnershipTree {
  owners: OwnerNode[];
  /** People of the organization who hold nothing (directors, representatives). */
  otherPeople: OwnershipFacts['people'][number][];
}

export function buildOwnershipTree(facts: OwnershipFacts): OwnershipTree {
  const companies = new Set(facts.holdings.filter((h) => h.ownerKind === 'COMPANY').map((h) => h.ownerId));
  const ubo = new Map(facts.ubos.map((u) => [u.personId, u.effectivePercent]));
  const person = new Map(facts.people.map((p) => [p.personId, p]));
  const byOwned = new Map<string | null, OwnershipFacts['holdings'][number][]>();
  for (const holding of facts.holdings) {
    const parent = companies.has(holding.ownedId) ? holding.ownedId : null;
    byOwned.set(parent, [...(byOwned.get(parent) ?? []), holding]);
  }

  const childrenOf = (owned: string | null, path: ReadonlySet<string>): OwnerNode[] =>
    (byOwned.get(owned) ?? [])
      .filter((holding) => !path.has(holding.ownerId))
      .sort((a, b) => b.percent - a.percent || a.ownerName.localeCompare(b.ownerName))
      .map((holding) => {
        const isPerson = holding.ownerKind === 'PERSON';
        return {
          id: holding.ownerId,
          name: holding.ownerName,
          kind: holding.ownerKind,
          percent: holding.percent,
          uboPercent: isPerson ? (ubo.get(holding.ownerId) ?? null) : null,
          verificationStatus: person.get(holding.ownerId)?.verificationStatus ?? null,
          roles: person.get(holding.ownerId)?.roles ?? [],
          children: isPerson ? [] : childrenOf(holding.ownerId, new Set([...path, holding.ownerId])),
        };
      });

  const holders = new Set(facts.holdings.map((h) => h.ownerId));
  return { owners: childrenOf(null, new Set()), otherPeople: facts.people.filter((p) => !holders.has(p.personId)) };
}

/** "25 %", "33.33 %": at most two decimals, as the API stores shares. */
export const formatPercent = (percent: number): string => `${Math.round(percent * 100) / 100} %`;
