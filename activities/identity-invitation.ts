/**
 * The invitation code a person gets by e-mail when their identity check lacks details: they enter it, with the
 * details, in the tenant's app, which passes both to `POST /api/v2.1/customer/{customerId}/persons/{subjectId}/details`.
 * The code only ever exists in the e-mail; the database keeps a keyed hash bound to the subject. Codes carry
 * 60 random bits, so guessing one before it expires is hopeless without an attempt counter.
 */
import { createHmac, randomInt } from 'node:crypto';

/** Crockford base32: no I, L, O, U, so a code read aloud or retyped survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 12;

export function newInvitationCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** Case, spaces and dashes do not matter to the person typing it. */
export function normalizeInvitationCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

export function hashInvitationCode(key: Buffer, subject: { tenantId: string; customerId: string; subjectId: string }, code: string): string {
  return createHmac('sha256', key)
    .update(`identity-invitation:${subject.tenantId}:${subject.customerId}:${subject.subjectId}:${normalizeInvitationCode(code)}`)
    .digest('base64url');
}
