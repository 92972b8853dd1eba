/**
 * What makes a beneficiary's bank account valid, per country, and its three stored forms: the normalised account
 * (sealed), a masked form for answers and e-mails, and the fingerprint key on which a customer's duplicates are
 * refused. A country in the IBAN registry takes an IBAN (ibantools knows which); the few countries below also take
 * (or, without IBANs, only take) an account number with the routing code their payment systems use.
 */
import countries from 'i18n-iso-countries';
import { electronicFormatIBAN, extractBIC, getCountrySpecifications, isValidBIC, validateIBAN, ValidationErrorsIBAN } from 'ibantools';
import type { FieldIssue } from '../http/errors';

interface LocalAccountRule {
  /** What the country calls its routing code, for messages. */
  routingName: string;
  /** Checked after spaces and dashes are removed and letters upper-cased (`12-34-56` is the sort code 123456). */
  routing: RegExp;
  routingRule: string;
  routingChecksum?: (routing: string) => boolean;
  account: RegExp;
  accountRule: string;
}

/** ABA routing number checksum: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) is a multiple of 10. */
export function abaChecksumValid(routing: string): boolean {
  const d = [...routing].map(Number);
  return (3 * (d[0]! + d[3]! + d[6]!) + 7 * (d[1]! + d[4]! + d[7]!) + (d[2]! + d[5]! + d[8]!)) % 10 === 0;
}

/** Account number plus routing code, by ISO 3166-1 alpha-2 country. */
export const LOCAL_ACCOUNT_RULES: Readonly<Record<string, LocalAccountRule>> = {
  US: { routingName: 'ABA routing number', routing: /^\d{9}$/, routingRule: '9 digits', routingChecksum: abaChecksumValid, account: /^\d{4,17}$/, accountRule: '4 to 17 digits' },
  GB: { routingName: 'sort code', routing: /^\d{6}$/, routingRule: '6 digits', account: /^\d{8}$/, accountRule: '8 digits' },
  AU: { routingName: 'BSB', routing: /^\d{6}$/, routingRule: '6 digits', account: /^\d{6,10}$/, accountRule: '6 to 10 digits' },
  CA: { routingName: 'transit and institution number', routing: /^\d{8}$/, routingRule: '5-digit transit then 3-digit institution number', account: /^\d{7,12}$/, accountRule: '7 to 12 digits' },
  IN: { routingName: 'IFSC', routing: /^[A-Z]{4}0[A-Z0-9]{6}$/, routingRule: 'an IFSC: 4 letters, 0, then 6 letters or digits', account: /^\d{9,18}$/, accountRule: '9 to 18 digits' },
};

export interface AccountInput {
  country: string;
  iban?: string;
  bic?: string;
  account_number?: string;
  routing_code?: string;
}

export type NormalisedAccount =
  | { type: 'IBAN'; iban: string; bic: string | null; masked: string; fingerprintSource: string }
  | { type: 'ACCOUNT_NUMBER'; accountNumber: string; routingCode: string; bic: string | null; masked: string; fingerprintSource: string };

const usesIban = (alpha2: string) => Boolean(getCountrySpecifications()[alpha2]?.chars);
const withoutSeparators = (value: string) => value.replace(/[\s-]/g, '').toUpperCase();

/** The account in its stored forms, or every field that is wrong with it (a 400 naming each). */
export function normaliseAccount(input: AccountInput): { account: NormalisedAccount } | { issues: FieldIssue[] } {
  const alpha2 = countries.alpha3ToAlpha2(input.country);
  if (!alpha2) return { issues: [{ field: 'country', message: 'Unknown ISO 3166-1 alpha-3 country code' }] };
  const bic = input.bic === undefined ? null : withoutSeparators(input.bic);
  if (bic !== null && !isValidBIC(bic)) return { issues: [{ field: 'bic', message: 'Must be a valid BIC (8 or 11 characters, e.g. DEUTDEFF)' }] };
  if (input.iban !== undefined) {
    if (input.account_number !== undefined || input.routing_code !== undefined) {
      return { issues: [{ field: input.account_number !== undefined ? 'account_number' : 'routing_code', message: 'Give either an IBAN or an account number with its routing code, not both' }] };
    }
    return ibanAccount(input.iban, alpha2, input.country, bic);
  }
  const rule = LOCAL_ACCOUNT_RULES[alpha2];
  if (!rule) {
    if (usesIban(alpha2)) return { issues: [{ field: 'iban', message: `Required: ${input.country} accounts are identified by IBAN` }] };
    return { issues: [{ field: 'country', message: `Beneficiaries in ${input.country} are not supported` }] };
  }
  if (bic !== null && extractBIC(bic).countryCode !== alpha2) return { issues: [{ field: 'bic', message: `The BIC's country is not ${input.country}` }] };
  return localAccount(input, alpha2, rule, bic);
}

function ibanAccount(given: string, alpha2: string, country: string, bic: string | null): { account: NormalisedAccount } | { issues: FieldIssue[] } {
  const iban = electronicFormatIBAN(given) ?? '';
  const { valid, errorCodes } = validateIBAN(iban);
  if (!valid) {
    const checksum = errorCodes.includes(ValidationErrorsIBAN.WrongIBANChecksum) || errorCodes.includes(ValidationErrorsIBAN.WrongAccountBankBranchChecksum);
    return { issues: [{ field: 'iban', message: checksum ? 'The IBAN check digits are wrong' : 'Must be a valid IBAN' }] };
  }
  if (iban.slice(0, 2) !== alpha2) return { issues: [{ field: 'iban', message: `The IBAN's country (${iban.slice(0, 2)}) is not ${country}` }] };
  if (bic !== null && extractBIC(bic).countryCode !== alpha2) return { issues: [{ field: 'bic', message: "The BIC's country does not match the IBAN's" }] };
  // A UK IBAN is the sort code and account number with a bank code: the same account either way is one beneficiary.
  const fingerprintSource = alpha2 === 'GB' ? `GB:${iban.slice(8, 14)}:${iban.slice(14)}` : `IBAN:${iban}`;
  return { account: { type: 'IBAN', iban, bic, masked: maskIban(iban), fingerprintSource } };
}

function localAccount(input: AccountInput, alpha2: string, rule: LocalAccountRule, bic: string | null): { account: NormalisedAccount } | { issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const routingCode = input.routing_code === undefined ? undefined : withoutSeparators(input.routing_code);
  const accountNumber = input.account_number === undefined ? undefined : withoutSeparators(input.account_number);
  if (routingCode === undefined) issues.push({ field: 'routing_code', message: `Required for ${input.country}: the ${rule.routingName}` });
  else if (!rule.routing.test(routingCode)) issues.push({ field: 'routing_code', message: `The ${rule.routingName} must be ${rule.routingRule}` });
  else if (rule.routingChecksum && !rule.routingChecksum(routingCode)) issues.push({ field: 'routing_code', message: `The ${rule.routingName} check digit is wrong` });
  if (accountNumber === undefined) issues.push({ field: 'account_number', message: `Required for ${input.country} (or an IBAN where the country uses them)` });
  else if (!rule.account.test(accountNumber)) issues.push({ field: 'account_number', message: `Must be ${rule.accountRule}` });
  if (issues.length || !routingCode || !accountNumber) return { issues };
  return {
    account: { type: 'ACCOUNT_NUMBER', accountNumber, routingCode, bic, masked: maskAccountNumber(accountNumber), fingerprintSource: `${alpha2}:${routingCode}:${accountNumber}` },
  };
}

/** `DE89370400440532013000` → `DE89 **** **** **** **30 00`: the country, check digits and last four only. */
export function maskIban(iban: string): string {
  const hidden = iban.slice(0, 4) + '*'.repeat(iban.length - 8) + iban.slice(-4);
  return hidden.replace(/(.{4})(?=.)/g, '$1 ');
}

/** The last four digits (two of a short account, so at least half stays hidden). */
export function maskAccountNumber(accountNumber: string): string {
  const shown = accountNumber.length >= 8 ? 4 : 2;
  return '*'.repeat(accountNumber.length - shown) + accountNumber.slice(-shown);
}
