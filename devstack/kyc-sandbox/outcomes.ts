/**
 * What the KYC sandbox decides for a check: chosen by the person's whole last name (case-insensitive) through the
 * shared magic-word engine, so every path of the product can be driven on purpose.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { outcomeByMagicWords, type MagicWord, type Outcome } from '../vendor-sandbox/outcomes';

/** The documented magic last names (matched case-insensitively) and what each makes the sandbox do. */
export const MAGIC_LAST_NAMES = {
  Reject: 'REJECTED (reason IDENTITY_NOT_VERIFIED); callback sent promptly',
  Review: 'REVIEW, manual review needed (reason POSSIBLE_WATCHLIST_MATCH); callback sent promptly',
  Slow: 'APPROVED promptly (visible on GET), but the callback is sent only after slowDelayMs',
  Flaky: 'POST /v1/checks answers 503 for the first flakyFailures attempts of a reference, then accepts; APPROVED',
  Silent: 'accepted but never decided: stays PENDING on GET and no callback is ever sent',
} as const satisfies Record<MagicWord, string>;

/** A last name is one magic word or none, so at most one of them applies. */
export function outcomeFor(lastName: string): Outcome {
  const name = lastName.trim().toLowerCase();
  return outcomeByMagicWords((word) => word.toLowerCase() === name, { Reject: 'IDENTITY_NOT_VERIFIED', Review: 'POSSIBLE_WATCHLIST_MATCH' });
}

export const checkRequestSchema = z.object({
  reference: z.string().trim().min(1).max(128),
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  dateOfBirth: z.iso.date('Must be a date, YYYY-MM-DD').optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'Must be an ISO 3166-1 alpha-2 code').optional(),
  callbackUrl: z.url({ protocol: /^https?$/, error: 'Must be an http(s) URL' }).optional(),
});
export type CheckRequest = z.output<typeof checkRequestSchema>;

/** Tells a retried submit from a clashing one; a digest, so the state file holds no personal data. */
export function fingerprintOf(request: CheckRequest): string {
  const person = JSON.stringify([request.firstName, request.lastName, request.dateOfBirth ?? null, request.country ?? null]);
  return createHash('sha256').update(person).digest('base64url');
}
