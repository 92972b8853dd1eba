/** The registry comparison the KYB workflow makes: what counts as the same name, and what becomes an error. */
import { normalizeCompanyName, registryErrors } from '../../workflows/kyb/registry';

const company = { legalName: 'Café & Sons Limited', registrationNumber: '01234567', countryOfIncorporation: 'GBR' };
const found = (registeredName: string, registrationStatus: 'ACTIVE' | 'DISSOLVED' = 'ACTIVE') => ({ found: true, registeredName, registrationStatus, officers: [] });

describe('normalizeCompanyName', () => {
  it.each([
    ['CAFE AND SONS LTD', 'Café & Sons Limited'],
    ['Acme Corp.', 'ACME CORPORATION'],
    ['Acme  Holdings, Inc.', 'acme holdings incorporated'],
    ['Widgets PLC', 'Widgets Public Limited Company'],
    ['Example LLC', 'Example Limited Liability Company'],
  ])('reads %p and %p as the same name', (a, b) => {
    expect(normalizeCompanyName(a)).toBe(normalizeCompanyName(b));
  });

  it.each([
    ['Acme Trading Ltd', 'Acme Traders Ltd'],
    ['Limited Editions Ltd', 'Editions Ltd'],
    ['Acme Ltd', 'Acme Inc'],
  ])('tells %p from %p', (a, b) => {
    expect(normalizeCompanyName(a)).not.toBe(normalizeCompanyName(b));
  });
});

describe('registryErrors', () => {
  it('finds nothing wrong with an active company under the same name', () => {
    expect(registryErrors(company, found('CAFE AND SONS LTD'))).toEqual([]);
  });

  it('names each difference as a KYB requirement error', () => {
    expect(registryErrors(company, found('OTHER NAME LTD', 'DISSOLVED'))).toEqual([
      { requirement: 'KYB', reason: 'The business name does not match the name in the company registry' },
      { requirement: 'KYB', reason: 'The company registry lists the company as DISSOLVED, not ACTIVE' },
    ]);
    expect(registryErrors(company, { found: false, officers: [] })).toEqual([
      { requirement: 'KYB', reason: 'The company registry has no company under this registration number' },
    ]);
  });
});
