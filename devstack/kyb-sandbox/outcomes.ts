/**
 * What the KYB sandbox decides and what its registry answers, both derived from the request alone so every path
 * of the product can be driven on purpose: magic words anywhere in the business name (any letter case).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { outcomeByMagicWords, type MagicWord, type Outcome } from '../vendor-sandbox/outcomes';

/** The documented magic words of a business name and what each makes the sandbox do. */
export const MAGIC_BUSINESS_NAMES = {
  Reject: 'REJECTED (reason BUSINESS_NOT_VERIFIED); callback sent promptly',
  Review: 'REVIEW, manual review needed (reason ADVERSE_MEDIA_MATCH); callback sent promptly',
  Slow: 'APPROVED promptly (visible on GET), but the callback is sent only after slowDelayMs',
  Flaky: 'the first flakyFailures check submissions and registry lookups answer 503, then succeed',
  Silent: 'accepted but never decided: stays PENDING on GET and no callback is ever sent',
  Mismatch: 'registry: the company is registered under another name',
  Dissolved: 'registry: the company is DISSOLVED',
  Unregistered: 'registry: no company under this number (404)',
} as const satisfies Record<MagicWord, string> & Record<string, string>;

const has = (name: string, word: keyof typeof MAGIC_BUSINESS_NAMES) => name.toLowerCase().includes(word.toLowerCase());

/** Several words may appear in one name: Reject, Review or Silent decide (the first, in that order); Slow and Flaky add. */
export function outcomeFor(businessName: string): Outcome {
  return outcomeByMagicWords((word) => has(businessName, word), { Reject: 'BUSINESS_NOT_VERIFIED', Review: 'ADVERSE_MEDIA_MATCH' });
}

export const isFlaky = (businessName: string) => has(businessName, 'Flaky');

const countryCode = z.string().regex(/^[A-Z]{2}$/, 'Must be an ISO 3166-1 alpha-2 code');
const registrationNumber = z.string().trim().min(1).max(64);
const businessName = z.string().trim().min(1).max(200);

export const checkRequestSchema = z.object({
  reference: z.string().trim().min(1).max(128),
  businessName,
  registrationNumber,
  country: countryCode,
  callbackUrl: z.url({ protocol: /^https?$/, error: 'Must be an http(s) URL' }).optional(),
});
export type CheckRequest = z.output<typeof checkRequestSchema>;

export const registryLookupSchema = z.object({ country: countryCode, registrationNumber, name: businessName });
export type RegistryLookup = z.output<typeof registryLookupSchema>;

/** Tells a retried submit from a clashing one; a digest, so the state file holds no business data. */
export function fingerprintOf(request: CheckRequest): string {
  const company = JSON.stringify([request.businessName, request.registrationNumber, request.country]);
  return createHash('sha256').update(company).digest('base64url');
}

const FIRST_NAMES = ['Alex', 'Sam', 'Robin', 'Jordan', 'Morgan', 'Casey'];
const LAST_NAMES = ['Fletcher', 'Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Silva'];

/**
 * The registry's record: the registered name is the given one in capitals (as registries print it), unless the
 * name says Mismatch; two officers picked from the registration number. Undefined for Unregistered names.
 */
export function registryRecordFor({ country, registrationNumber: number, name }: RegistryLookup) {
  if (has(name, 'Unregistered')) return undefined;
  const digest = createHash('sha256').update(`${country}/${number}`).digest();
  const officer = (i: number, role: string) => ({ name: `${FIRST_NAMES[digest[i] % 6]} ${LAST_NAMES[digest[i + 1] % 6]}`, role });
  return {
    registeredName: has(name, 'Mismatch') ? `NORTHWIND ${number} HOLDINGS LIMITED` : name.trim().toUpperCase(),
    registrationNumber: number,
    country,
    status: has(name, 'Dissolved') ? 'DISSOLVED' : 'ACTIVE',
    officers: [officer(0, 'DIRECTOR'), officer(2, 'SECRETARY')],
  };
}
