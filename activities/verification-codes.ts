/**
 * One-time codes for contact verification. The code itself only ever exists in the e-mail or SMS; the database
 * keeps a keyed hash (HMAC with a server key), so a leaked table cannot be brute-forced offline.
 */
import { createHmac, hkdfSync, randomInt } from 'node:crypto';

export type CodeChannel = 'EMAIL' | 'PHONE';

export function deriveCodeHashKey(payloadKeyBase64: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(payloadKeyBase64, 'base64'), '', 'verification-codes', 32));
}

export function generateCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

export function hashCode(key: Buffer, customerId: string, channel: CodeChannel, code: string): string {
  return createHmac('sha256', key).update(`${customerId}:${channel}:${code}`).digest('base64url');
}
