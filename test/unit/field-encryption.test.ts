import { randomBytes } from 'node:crypto';
import { fieldCipherFor } from '../../common/field-encryption';
import type { Secrets } from '../../common/secrets';
import { maskTaxId, openTaxIds, sealTaxIds, TAX_ID_PURPOSE } from '../../common/tax-ids';

const base: Omit<Secrets, 'payloadKeyId' | 'payloadKey'> = { platformAdminToken: 'p', jwtSecret: 'j', kycWebhookSecret: 'w', kybWebhookSecret: 'b' };
const k1 = randomBytes(32).toString('base64');
const before = fieldCipherFor({ ...base, payloadKeyId: 'k1', payloadKey: k1 }, TAX_ID_PURPOSE);
const after = fieldCipherFor({ ...base, payloadKeyId: 'k2', payloadKey: randomBytes(32).toString('base64'), retiredPayloadKeys: { k1 } }, TAX_ID_PURPOSE);
const ssn = [{ country_code: 'USA', document_type: 'SSN', document_id: '123-45-6789' }];

describe('tax id column encryption', () => {
  it('seals under the active key, names it, and masks all but the last four characters', () => {
    const sealed = sealTaxIds(before, 'tnt_a', 'cust_a', ssn);
    expect(sealed.encrypted).toMatch(/^k1:/);
    expect(sealed.encrypted).not.toContain('6789');
    expect(sealed.masked).toEqual([{ country_code: 'USA', document_type: 'SSN', document_id: '****6789' }]);
    expect(maskTaxId('12345')).toBe('****');
  });

  it('still opens values sealed under a retired key after a rotation, and seals new ones under the new key', () => {
    const old = sealTaxIds(before, 'tnt_a', 'cust_a', ssn);
    expect(openTaxIds(after, 'tnt_a', 'cust_a', old.encrypted)).toEqual(ssn);
    expect(sealTaxIds(after, 'tnt_a', 'cust_a', ssn).encrypted).toMatch(/^k2:/);
  });

  it("refuses a value moved to another customer's row, or tampered with", () => {
    const { encrypted } = sealTaxIds(before, 'tnt_a', 'cust_a', ssn);
    expect(() => openTaxIds(before, 'tnt_a', 'cust_b', encrypted)).toThrow();
    const tampered = `${encrypted.slice(0, -2)}${encrypted.endsWith('A') ? 'B' : 'A'}A`;
    expect(() => openTaxIds(before, 'tnt_a', 'cust_a', tampered)).toThrow();
  });
});
