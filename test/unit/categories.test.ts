import { categorize, categorySettings, isDefinedCategory, type CategorySettings } from '../../api/profiles/categories';

const SETTINGS: CategorySettings = {
  definitions: [
    { code: 'PREMIUM', rule: { minMonthlyVolumeUsd: 10_000, customerTypes: ['INDIVIDUAL'] } },
    { code: 'CORPORATE', rule: { customerTypes: ['ORGANIZATION'] } },
    { code: 'EU_RETAIL', rule: { countriesOfResidence: ['DEU', 'FRA'] } },
    { code: 'VIP' },
    { code: 'RETAIL' },
  ],
  default: 'RETAIL',
};

describe('categorize', () => {
  it('gives the first category whose every condition holds, in the order defined', () => {
    expect(categorize(SETTINGS, { customerType: 'INDIVIDUAL', monthlyVolumeUsd: 10_000, country: 'DEU' })).toBe('PREMIUM');
    expect(categorize(SETTINGS, { customerType: 'INDIVIDUAL', monthlyVolumeUsd: 9_999.99, country: 'DEU' })).toBe('EU_RETAIL');
    expect(categorize(SETTINGS, { customerType: 'ORGANIZATION', monthlyVolumeUsd: 50_000, country: 'FRA' })).toBe('CORPORATE');
  });

  it('fails a condition on a fact the customer lacks (a v1 registration has no volume or residence yet)', () => {
    expect(categorize(SETTINGS, { customerType: 'INDIVIDUAL' })).toBe('RETAIL');
    expect(categorize({ definitions: [{ code: 'RICH', rule: { minMonthlyVolumeUsd: 0 } }] }, { customerType: 'INDIVIDUAL' })).toBeNull();
  });

  it('never gives a category without a rule (explicit only) unless it is the default', () => {
    expect(categorize({ definitions: [{ code: 'VIP' }] }, { customerType: 'INDIVIDUAL', country: 'USA' })).toBeNull();
    expect(categorize({ definitions: [{ code: 'VIP' }], default: 'VIP' }, { customerType: 'INDIVIDUAL' })).toBe('VIP');
  });

  it('gives nothing when the tenant defined no categories', () => {
    expect(categorize(undefined, { customerType: 'INDIVIDUAL', monthlyVolumeUsd: 1e9 })).toBeNull();
  });

  it('knows which codes the tenant defined', () => {
    expect(isDefinedCategory(SETTINGS, 'VIP')).toBe(true);
    expect(isDefinedCategory(SETTINGS, 'GOLD')).toBe(false);
    expect(isDefinedCategory(undefined, 'VIP')).toBe(false);
  });
});

describe('the categories setting', () => {
  const issues = (value: unknown) => {
    const result = categorySettings.safeParse(value);
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('takes codes, labels, rules and a default among the codes', () => {
    expect(issues(SETTINGS)).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['a lower-case code', { definitions: [{ code: 'premium' }] }, 'definitions.0.code'],
    ['a one-letter code', { definitions: [{ code: 'P' }] }, 'definitions.0.code'],
    ['a code of 33 characters', { definitions: [{ code: `P${'X'.repeat(32)}` }] }, 'definitions.0.code'],
    ['a code defined twice', { definitions: [{ code: 'VIP' }, { code: 'VIP' }] }, 'definitions.1.code'],
    ['a default that is not a code', { definitions: [{ code: 'VIP' }], default: 'RETAIL' }, 'default'],
    ['no definitions', { definitions: [] }, 'definitions'],
    ['a rule without conditions', { definitions: [{ code: 'VIP', rule: {} }] }, 'definitions.0.rule'],
    ['a negative volume', { definitions: [{ code: 'VIP', rule: { minMonthlyVolumeUsd: -1 } }] }, 'definitions.0.rule.minMonthlyVolumeUsd'],
    ['an alpha-2 country', { definitions: [{ code: 'VIP', rule: { countriesOfResidence: ['US'] } }] }, 'definitions.0.rule.countriesOfResidence.0'],
    ['an unknown customer type', { definitions: [{ code: 'VIP', rule: { customerTypes: ['PERSON'] } }] }, 'definitions.0.rule.customerTypes.0'],
    ['an unknown rule field', { definitions: [{ code: 'VIP', rule: { min_monthly_volume_usd: 5 } }] }, 'definitions.0.rule'],
  ])('refuses %s, naming the field', (_name, value, field) => {
    expect(issues(value)).toEqual([expect.stringMatching(new RegExp(`^${field.replace(/\./g, '\\.')}: `))]);
  });
});
