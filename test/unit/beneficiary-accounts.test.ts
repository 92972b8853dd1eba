/** The per-country account rules of api/beneficiaries/accounts.ts, without the API around them. */
import { abaChecksumValid, maskAccountNumber, maskIban, normaliseAccount } from '../../api/beneficiaries/accounts';

const issuesOf = (input: Parameters<typeof normaliseAccount>[0]) => {
  const result = normaliseAccount(input);
  return 'issues' in result ? result.issues : [];
};

describe('IBAN accounts', () => {
  it('takes an IBAN in print format, stores it electronically and masks all but country, check digits and last four', () => {
    const result = normaliseAccount({ country: 'DEU', iban: 'de89 3704 0044 0532 0130 00', bic: 'cobadeffxxx' });
    expect(result).toEqual({
      account: { type: 'IBAN', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', masked: 'DE89 **** **** **** **30 00', fingerprintSource: 'IBAN:DE89370400440532013000' },
    });
  });

  it.each([
    [{ country: 'DEU', iban: 'DE88370400440532013000' }, 'iban', /check digits/],
    [{ country: 'FRA', iban: 'DE89370400440532013000' }, 'iban', /country \(DE\) is not FRA/],
    [{ country: 'DEU' }, 'iban', /Required/],
    [{ country: 'DEU', iban: 'DE89370400440532013000', bic: 'BNPAFRPP' }, 'bic', /match the IBAN/],
    [{ country: 'DEU', iban: 'DE89370400440532013000', bic: 'NOTABIC1X' }, 'bic', /valid BIC/],
    [{ country: 'DEU', iban: 'DE89370400440532013000', account_number: '12345678' }, 'account_number', /not both/],
    [{ country: 'JPN', account_number: '1234567', routing_code: '0001' }, 'country', /not supported/],
  ])('refuses %j naming %s', (input, field, message) => {
    const [issue] = issuesOf(input) as Array<{ field: string; message: string }>;
    expect(issue?.field).toBe(field);
    expect(issue?.message).toMatch(message);
  });

  it('fingerprints a UK IBAN as its sort code and account, so both forms are one beneficiary', () => {
    const viaIban = normaliseAccount({ country: 'GBR', iban: 'GB29 NWBK 6016 1331 9268 19' });
    const viaLocal = normaliseAccount({ country: 'GBR', account_number: '31926819', routing_code: '60-16-13' });
    expect('account' in viaIban && 'account' in viaLocal && viaIban.account.fingerprintSource).toBe('account' in viaLocal && viaLocal.account.fingerprintSource);
  });
});

describe('account number and routing code', () => {
  it.each([
    ['USA', '021000021', '123456789', '*****6789'],
    ['GBR', '60-16-13', '31926819', '****6819'],
    ['AUS', '062-000', '12345678', '****5678'],
    ['CAN', '12345-678', '1234567', '*****67'],
    ['IND', 'sbin0001234', '123456789012', '********9012'],
  ])('%s: routing %s, account %s', (country, routing_code, account_number, masked) => {
    const result = normaliseAccount({ country, routing_code, account_number });
    expect('account' in result && result.account.masked).toBe(masked);
  });

  it.each([
    [{ country: 'USA', routing_code: '021000022', account_number: '1234' }, 'routing_code', /check digit/],
    [{ country: 'USA', routing_code: '021000021', account_number: '123' }, 'account_number', /4 to 17/],
    [{ country: 'GBR', routing_code: '60161', account_number: '31926819' }, 'routing_code', /sort code must be 6 digits/],
    [{ country: 'GBR', routing_code: '601613', account_number: '3192681' }, 'account_number', /8 digits/],
    [{ country: 'IND', routing_code: 'SBIN1001234', account_number: '123456789' }, 'routing_code', /IFSC/],
    [{ country: 'CAN', account_number: '1234567' }, 'routing_code', /Required/],
    [{ country: 'USA', routing_code: '021000021', account_number: '1234', bic: 'DEUTDEFF' }, 'bic', /country is not USA/],
  ])('refuses %j naming %s', (input, field, message) => {
    const [issue] = issuesOf(input) as Array<{ field: string; message: string }>;
    expect(issue?.field).toBe(field);
    expect(issue?.message).toMatch(message);
  });

  it('checks ABA routing numbers by their check digit', () => {
    expect(['021000021', '011000015', '121000358'].every(abaChecksumValid)).toBe(true);
    expect(['021000020', '123456789'].some(abaChecksumValid)).toBe(false);
  });

  it('masks short accounts so at least half stays hidden', () => {
    expect(maskAccountNumber('1234')).toBe('**34');
    expect(maskIban('NO9386011117947')).toBe('NO93 **** ***7 947');
  });
});
