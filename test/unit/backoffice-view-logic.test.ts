/**
 * The back office's pure view logic: how long a case has waited, in words, the ownership tree the case page
 * draws from the API's holdings, UBOs and people (through companies, UBOs marked, cycles cut, non-holders apart),
 * and how a subject's field reads ("hidden" only where the API masked it).
 */
import { formatWait, humanize } from '../../backoffice/src/lib/duration';
import { buildOwnershipTree, formatPercent, type OwnershipFacts } from '../../backoffice/src/lib/ownership';
import { readField } from '../../backoffice/src/components/field-value';
import { individualFields, type IndividualRecord } from '../../api/review/case-subject';

describe('formatWait', () => {
  it.each([
    [0, '0 s'],
    [45.9, '45 s'],
    [60, '1 min'],
    [59 * 60 + 59, '59 min'],
    [3600, '1 h'],
    [3 * 3600 + 12 * 60 + 30, '3 h 12 min'],
    [24 * 3600, '1 d'],
    [2 * 86400 + 5 * 3600 + 59 * 60, '2 d 5 h'],
    [-5, '0 s'],
  ])('%p seconds read "%s"', (seconds, words) => {
    expect(formatWait(seconds)).toBe(words);
  });

  it('turns codes into words', () => {
    expect(humanize('MANUAL_REVIEW')).toBe('Manual review');
    expect(humanize('DOCUMENT:PROOF_OF_ADDRESS')).toBe('Document proof of address');
  });
});

describe('buildOwnershipTree', () => {
  const ORG = 'org_1';
  const facts: OwnershipFacts = {
    thresholdPercent: 25,
    holdings: [
      { ownerId: 'per_small', ownerName: 'Sam Small', ownerKind: 'PERSON', ownedId: ORG, percent: 10 },
      { ownerId: 'cmp_hold', ownerName: 'Holding Ltd', ownerKind: 'COMPANY', ownedId: ORG, percent: 60 },
      { ownerId: 'per_anna', ownerName: 'Anna Big', ownerKind: 'PERSON', ownedId: 'cmp_hold', percent: 50 },
      { ownerId: 'per_bob', ownerName: 'Bob Minor', ownerKind: 'PERSON', ownedId: 'cmp_hold', percent: 30 },
      { ownerId: 'per_carl', ownerName: 'Carl Direct', ownerKind: 'PERSON', ownedId: ORG, percent: 30 },
    ],
    ubos: [
      { personId: 'per_anna', name: 'Anna Big', effectivePercent: 30 },
      { personId: 'per_carl', name: 'Carl Direct', effectivePercent: 30 },
    ],
    people: [
      { personId: 'per_anna', name: 'Anna Big', roles: ['UBO'], verificationStatus: 'VERIFIED' },
      { personId: 'per_bob', name: 'Bob Minor', roles: ['SHAREHOLDER'], verificationStatus: 'PENDING' },
      { personId: 'per_carl', name: 'Carl Direct', roles: ['UBO', 'DIRECTOR'], verificationStatus: 'MANUAL_REVIEW' },
      { personId: 'per_dora', name: 'Dora Director', roles: ['DIRECTOR'], verificationStatus: 'VERIFIED' },
    ],
  };

  it('puts holders under what they hold, largest share first, and marks the UBOs with their effective share', () => {
    const tree = buildOwnershipTree(facts);
    expect(tree.owners.map((node) => [node.name, node.percent, node.uboPercent])).toEqual([
      ['Holding Ltd', 60, null],
      ['Carl Direct', 30, 30],
      ['Sam Small', 10, null],
    ]);
    const holding = tree.owners[0];
    expect(holding.kind).toBe('COMPANY');
    expect(holding.children.map((node) => [node.name, node.percent, node.uboPercent, node.verificationStatus])).toEqual([
      ['Anna Big', 50, 30, 'VERIFIED'],
      ['Bob Minor', 30, null, 'PENDING'],
    ]);
    expect(tree.owners[1].roles).toEqual(['UBO', 'DIRECTOR']);
    expect(tree.owners[2].verificationStatus).toBeNull();
  });

  it('lists the people who hold nothing apart', () => {
    expect(buildOwnershipTree(facts).otherPeople.map((person) => person.name)).toEqual(['Dora Director']);
  });

  it('takes any holding of something that is not a holder company as a holding of the organization', () => {
    const tree = buildOwnershipTree({ ...facts, holdings: [{ ownerId: 'per_x', ownerName: 'X', ownerKind: 'PERSON', ownedId: '', percent: 100 }] });
    expect(tree.owners.map((node) => node.id)).toEqual(['per_x']);
  });

  it('ends a branch at a cycle instead of looping', () => {
    const tree = buildOwnershipTree({
      ...facts,
      holdings: [
        { ownerId: 'cmp_a', ownerName: 'A', ownerKind: 'COMPANY', ownedId: ORG, percent: 100 },
        { ownerId: 'cmp_b', ownerName: 'B', ownerKind: 'COMPANY', ownedId: 'cmp_a', percent: 100 },
        { ownerId: 'cmp_a', ownerName: 'A', ownerKind: 'COMPANY', ownedId: 'cmp_b', percent: 100 },
      ],
    });
    expect(tree.owners[0].name).toBe('A');
    expect(tree.owners[0].children[0].name).toBe('B');
    expect(tree.owners[0].children[0].children).toEqual([]);
  });

  it('formats shares with at most two decimals', () => {
    expect(formatPercent(33.333333)).toBe('33.33 %');
    expect(formatPercent(25)).toBe('25 %');
  });
});

describe('readField', () => {
  it.each([
    [{ value: null, masked: true }, 'hidden', 'hidden'],
    [{ value: 'USA SSN ****6789', masked: true }, 'partly-hidden', 'USA SSN ****6789 (partly hidden)'],
    [{ value: null, masked: false }, 'not-given', 'not given'],
    [{ value: '', masked: false }, 'not-given', 'not given'],
    [{ value: 'Review', masked: false }, 'value', 'Review'],
  ])('%p reads %s', (field, kind, text) => {
    expect(readField(field)).toEqual({ kind, text });
  });

  it('reads "not given" for tax ids a customer never gave, to every role (the case API does not mask a missing value)', () => {
    const person: IndividualRecord = {
      firstName: 'Ada',
      lastName: 'Review',
      email: 'ada@example.com',
      phone: null,
      status: 'MANUAL_REVIEW',
      createdAt: '2026-11-27T20:00:00.000Z',
      profile: { dateOfBirth: '1990-01-01', nationality: 'US', countryOfResidence: 'US', address: null, taxIdsMasked: null },
    };
    for (const decodes of [true, false]) {
      const taxIds = individualFields(person, decodes).find((field) => field.name === 'taxIds')!;
      expect({ decodes, reads: readField(taxIds).text }).toEqual({ decodes, reads: 'not given' });
    }
    const withTaxId = { ...person, profile: { ...person.profile!, taxIdsMasked: [{ country_code: 'USA', document_type: 'SSN', document_id: '****6789' }] } };
    expect(readField(individualFields(withTaxId, false).find((field) => field.name === 'taxIds')!).text).toBe('USA SSN ****6789 (partly hidden)');
    expect(readField(individualFields(person, false).find((field) => field.name === 'lastName')!).text).toBe('hidden');
  });
});
