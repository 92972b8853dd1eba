/**
 * Effective ownership and UBOs through chains of companies: the example, the validation errors, and
 * properties over generated structures (valid ones built level by level, so no company owns itself).
 */
import fc from 'fast-check';
import {
  describeProblem,
  effectiveOwnership,
  ownershipProblems,
  ultimateBeneficialOwners,
  type Holding,
  type OwnershipParty,
  type OwnershipStructure,
} from '../../common/ownership';

const person = (id: string): OwnershipParty => ({ id, kind: 'PERSON' });
const company = (id: string): OwnershipParty => ({ id, kind: 'COMPANY' });
const holds = (ownerId: string, ownedId: string | null, percent: number): Holding => ({ ownerId, ownedId, percent });

describe('the issue example', () => {
  const structure: OwnershipStructure = {
    parties: [company('holdco'), person('alice'), person('bob')],
    holdings: [holds('holdco', null, 60), holds('alice', 'holdco', 100), holds('bob', null, 40)],
  };

  it('gives the person who owns the 60 % company all of it: 60 %, a UBO', () => {
    const effective = effectiveOwnership(structure);
    expect(effective.get('alice')).toBeCloseTo(60, 10);
    expect(effective.get('bob')).toBeCloseTo(40, 10);
    expect(effective.get('holdco')).toBeCloseTo(60, 10);
    expect(ultimateBeneficialOwners(structure, 25).map((owner) => owner.partyId)).toEqual(['alice', 'bob']);
  });

  it('lists only persons as UBOs, never the company in between', () => {
    expect(ultimateBeneficialOwners(structure, 50)).toEqual([{ partyId: 'alice', effectivePercent: expect.closeTo(60, 10) }]);
  });
});

describe('effective ownership', () => {
  it('multiplies along a chain and adds over paths', () => {
    // carol: 50 % × 50 % via A, plus 10 % directly = 35 %; dave: 50 % × 40 % via A, plus 30 % × 100 % via B = 50 %.
    const structure: OwnershipStructure = {
      parties: [company('A'), company('B'), person('carol'), person('dave')],
      holdings: [
        holds('A', null, 50),
        holds('B', null, 30),
        holds('carol', null, 10),
        holds('carol', 'A', 50),
        holds('dave', 'A', 40),
        holds('dave', 'B', 100),
      ],
    };
    const effective = effectiveOwnership(structure);
    expect(effective.get('carol')).toBeCloseTo(35, 10);
    expect(effective.get('dave')).toBeCloseTo(50, 10);
  });

  it('counts a share exactly at the threshold as reaching it, despite float products', () => {
    // 50 % of 50 % is 25 %; 0.1 × 250 style rounding must not drop the owner.
    const structure: OwnershipStructure = {
      parties: [company('A'), company('B'), person('erin')],
      holdings: [holds('A', null, 50), holds('B', 'A', 50), holds('erin', 'B', 100)],
    };
    expect(ultimateBeneficialOwners(structure, 25).map((owner) => owner.partyId)).toEqual(['erin']);
    expect(ultimateBeneficialOwners(structure, 25.01)).toEqual([]);
  });

  it('gives 0 to a party with no path to the organization', () => {
    const structure: OwnershipStructure = { parties: [company('A'), person('frank')], holdings: [holds('frank', 'A', 100)] };
    expect(effectiveOwnership(structure).get('frank')).toBe(0);
  });

  it('refuses to compute over a structure with problems', () => {
    expect(() => effectiveOwnership({ parties: [person('p')], holdings: [holds('p', null, 120)] })).toThrow(/100%/);
  });
});

describe('validation problems', () => {
  it('names the entity whose direct owners sum over 100 %, at the top and in a nested company', () => {
    const top = ownershipProblems({ parties: [person('a'), person('b')], holdings: [holds('a', null, 60), holds('b', null, 40.01)] });
    expect(top).toEqual([{ kind: 'OVER_100_PERCENT', ownedId: null, totalPercent: 100.01 }]);
    expect(describeProblem(top[0])).toBe('The owners of the organization would hold 100.01% in all, over 100%');

    const nested = ownershipProblems({
      parties: [company('C'), person('a'), person('b')],
      holdings: [holds('C', null, 10), holds('a', 'C', 70), holds('b', 'C', 31)],
    });
    expect(nested).toEqual([{ kind: 'OVER_100_PERCENT', ownedId: 'C', totalPercent: 101 }]);
  });

  it('sums in hundredths: thirds written to two decimals make exactly 100 %', () => {
    const parties = [person('a'), person('b'), person('c')];
    expect(ownershipProblems({ parties, holdings: [holds('a', null, 33.33), holds('b', null, 33.33), holds('c', null, 33.34)] })).toEqual([]);
  });

  it('finds a cycle and names its members in order', () => {
    const problems = ownershipProblems({
      parties: [company('A'), company('B'), company('C')],
      holdings: [holds('A', null, 50), holds('A', 'B', 50), holds('B', 'C', 50), holds('C', 'A', 50)],
    });
    expect(problems).toEqual([{ kind: 'CYCLE', partyIds: ['A', 'B', 'C'] }]);
    expect(describeProblem(problems[0])).toBe('Ownership would go round in a circle: A → B → C → A');
  });

  it('names a circle from its smallest id, whichever member the search enters it by', () => {
    const problems = ownershipProblems({
      parties: [company('A'), company('B'), company('C')],
      holdings: [holds('A', 'C', 10), holds('C', 'B', 10), holds('B', 'C', 10)],
    });
    expect(problems).toEqual([{ kind: 'CYCLE', partyIds: ['B', 'C'] }]);
  });

  it('finds a company owning itself', () => {
    expect(ownershipProblems({ parties: [company('A')], holdings: [holds('A', 'A', 10)] })).toEqual([{ kind: 'CYCLE', partyIds: ['A'] }]);
  });

  it('reports owners and owned companies that do not exist, persons being owned, bad percentages and repeats', () => {
    const problems = ownershipProblems({
      parties: [person('p'), person('q'), company('C')],
      holdings: [holds('ghost', null, 10), holds('p', 'nowhere', 10), holds('C', 'q', 10), holds('p', 'C', 0), holds('p', 'C', 5)],
    });
    expect(problems).toEqual([
      { kind: 'UNKNOWN_OWNER', ownerId: 'ghost' },
      { kind: 'UNKNOWN_OWNED', ownedId: 'nowhere' },
      { kind: 'OWNED_NOT_A_COMPANY', ownedId: 'q' },
      { kind: 'PERCENT_OUT_OF_RANGE', ownerId: 'p', ownedId: 'C', percent: 0 },
      { kind: 'DUPLICATE_HOLDING', ownerId: 'p', ownedId: 'C' },
    ]);
  });
});

/**
 * A valid structure: companies C0…Cn-1 and persons P0…Pm-1; the organization is owned by companies and persons,
 * company i only by persons and companies with a higher index (so no cycle). Each owned entity's owners hold at
 * most 100 %, or exactly 100 % when `full` (the last owner takes the remainder).
 */
const validStructure = (full: boolean) =>
  fc
    .record({ companies: fc.integer({ min: 0, max: 5 }), persons: fc.integer({ min: 1, max: 5 }), seed: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 6000 })), { minLength: 60, maxLength: 60 }) })
    .map(({ companies, persons, seed }) => {
      const parties = [
        ...Array.from({ length: companies }, (_, i) => company(`C${i}`)),
        ...Array.from({ length: persons }, (_, i) => person(`P${i}`)),
      ];
      const holdings: Holding[] = [];
      let next = 0;
      const draw = () => seed[next++ % seed.length];
      for (let owned = -1; owned < companies; owned++) {
        const candidates = parties.filter((party) => party.kind === 'PERSON' || Number(party.id.slice(1)) > owned);
        const owners = [...new Set(Array.from({ length: 1 + (draw()[0] % 3) }, () => candidates[draw()[0] % candidates.length].id))];
        let left = 10_000;
        owners.forEach((ownerId, i) => {
          const last = i === owners.length - 1;
          const share = full && last ? left : Math.min(left - (full ? owners.length - 1 - i : 0), draw()[1]);
          if (share <= 0) return;
          holdings.push(holds(ownerId, owned === -1 ? null : `C${owned}`, share / 100));
          left -= share;
        });
      }
      return { parties, holdings } satisfies OwnershipStructure;
    });

const sumOfPersons = (structure: OwnershipStructure) => {
  const effective = effectiveOwnership(structure);
  return structure.parties.filter((p) => p.kind === 'PERSON').reduce((sum, p) => sum + effective.get(p.id)!, 0);
};

describe('properties', () => {
  it('a structure built without cycles and within 100 % has no problems, and every share is between 0 and 100 %', () => {
    fc.assert(
      fc.property(validStructure(false), (structure) => {
        expect(ownershipProblems(structure)).toEqual([]);
        for (const share of effectiveOwnership(structure).values()) {
          expect(share).toBeGreaterThanOrEqual(0);
          expect(share).toBeLessThanOrEqual(100 + 1e-9);
        }
        expect(sumOfPersons(structure)).toBeLessThanOrEqual(100 + 1e-9);
      }),
    );
  });

  it('when every owned entity is held 100 %, the persons hold the whole organization between them', () => {
    fc.assert(fc.property(validStructure(true), (structure) => expect(sumOfPersons(structure)).toBeCloseTo(100, 6)));
  });

  it('a chain of companies gives its last owner the product of the percentages', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 8 }), (shares) => {
        const percents = shares.map((share) => share / 100);
        const parties = [...percents.slice(0, -1).map((_, i) => company(`C${i}`)), person('P')];
        const holdings = percents.map((percent, i) => holds(parties[i].id, i === 0 ? null : parties[i - 1].id, percent));
        const product = percents.reduce((acc, percent) => (acc * percent) / 100, 100);
        expect(effectiveOwnership({ parties, holdings }).get('P')).toBeCloseTo(product, 9);
      }),
    );
  });

  it('the answer does not depend on the order parties and holdings are listed in', () => {
    fc.assert(
      fc.property(validStructure(false), fc.nat(), (structure, rotation) => {
        const rotate = <T>(list: readonly T[]) => (list.length ? [...list.slice(rotation % list.length), ...list.slice(0, rotation % list.length)] : []);
        const shuffled = { parties: rotate(structure.parties).reverse(), holdings: rotate(structure.holdings).reverse() };
        expect(ultimateBeneficialOwners(shuffled, 25)).toEqual(ultimateBeneficialOwners(structure, 25));
        expect(new Map([...effectiveOwnership(shuffled)].sort())).toEqual(new Map([...effectiveOwnership(structure)].sort()));
      }),
    );
  });

  it('raising the threshold never adds a UBO', () => {
    fc.assert(
      fc.property(validStructure(false), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 99 }), (structure, low, step) => {
        const high = Math.min(100, low + step);
        const atHigh = ultimateBeneficialOwners(structure, high).map((owner) => owner.partyId);
        const atLow = ultimateBeneficialOwners(structure, low).map((owner) => owner.partyId);
        expect(atLow).toEqual(expect.arrayContaining(atHigh));
      }),
    );
  });

  it('one more holding of an entity beyond what is left of its 100 % is refused, naming that entity', () => {
    fc.assert(
      fc.property(validStructure(false), fc.nat(), (structure, pick) => {
        const ownedIds = [null, ...structure.parties.filter((p) => p.kind === 'COMPANY').map((p) => p.id)];
        const ownedId = ownedIds[pick % ownedIds.length];
        const held = structure.holdings.filter((h) => h.ownedId === ownedId).reduce((sum, h) => sum + Math.round(h.percent * 100), 0);
        const extra = (10_000 - held + 1) / 100;
        const newcomer = person('newcomer');
        const problems = ownershipProblems({ parties: [...structure.parties, newcomer], holdings: [...structure.holdings, holds('newcomer', ownedId, extra)] });
        expect(problems).toContainEqual({ kind: 'OVER_100_PERCENT', ownedId, totalPercent: 100.01 });
      }),
    );
  });

  it('a holding that closes a loop back to one of its owners is refused as a cycle', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), (length) => {
        // C0 held by C1 held by … C(n-1); then C0 takes a share of C(n-1).
        const parties = Array.from({ length }, (_, i) => company(`C${i}`));
        const holdings = [holds('C0', null, 50), ...parties.slice(1).map((p, i) => holds(p.id, `C${i}`, 50)), holds('C0', `C${length - 1}`, 1)];
        const cycles = ownershipProblems({ parties, holdings }).filter((p) => p.kind === 'CYCLE');
        expect(cycles).toHaveLength(1);
        expect(new Set((cycles[0] as { partyIds: string[] }).partyIds)).toEqual(new Set(parties.map((p) => p.id)));
      }),
    );
  });
});
