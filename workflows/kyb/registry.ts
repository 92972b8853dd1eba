/**
 * The registry's answer against what the tenant sent. A difference is a requirement error the tenant can act on
 * (correct the name, or explain a dissolved company to staff), never a retry.
 */
import type { RequirementError } from '../../common/lifecycle';
import type { KybCompany, KybRegistryFindings } from '../../common/kyb-contract';

/** Spellings of a legal form that name the same thing, so "Acme Limited" matches the registry's "ACME LTD". */
const LEGAL_FORMS: ReadonlyArray<[string, string]> = [
  // Longest first: "public limited company" must not be read as "... company".
  ['public limited company', 'plc'],
  ['limited liability company', 'llc'],
  ['limited', 'ltd'],
  ['incorporated', 'inc'],
  ['corporation', 'corp'],
  ['company', 'co'],
];

/** Case, accents, punctuation, "&"/"and" and the spelling of the legal form do not make two names differ. */
export function normalizeCompanyName(name: string): string {
  let text = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  const form = LEGAL_FORMS.find(([long]) => text === long || text.endsWith(` ${long}`));
  return form ? `${text.slice(0, text.length - form[0].length)}${form[1]}` : text;
}

export function registryErrors(company: KybCompany, findings: KybRegistryFindings): RequirementError[] {
  if (!findings.found) return [{ requirement: 'KYB', reason: 'The company registry has no company under this registration number' }];
  const errors: RequirementError[] = [];
  if (normalizeCompanyName(findings.registeredName ?? '') !== normalizeCompanyName(company.legalName)) {
    errors.push({ requirement: 'KYB', reason: 'The business name does not match the name in the company registry' });
  }
  if (findings.registrationStatus !== 'ACTIVE') {
    errors.push({ requirement: 'KYB', reason: `The company registry lists the company as ${findings.registrationStatus ?? 'UNKNOWN'}, not ACTIVE` });
  }
  return errors;
}
