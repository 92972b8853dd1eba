/**
 * One-time codes for contact verification. The code itself only ever exists in the e-mail or SMS; the database
 * keeps a keyed hash (HMAC with a server key), so a leaked table cannot be brute-forced offline.
 */
import { createHmac, randomInt } from 'node:crypto';
import type { Knex } from '../common/db';

export type CodeChannel = 'EMAIL' | 'PHONE';

export function generateCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

export function hashCode(key: Buffer, customerId: string, channel: CodeChannel, code: string): string {
  return createHmac('sha256', key).update(`${customerId}:${channel}:${code}`).digest('base64url');
}

/**
 * Stores a fresh code for the channel, replacing any earlier one (its tries and any consumption with it), and
 * returns it for sending. The contact's lifetime count of wrong codes (`failed_attempts_total`) is kept.
 */
export async function issueCode(
  db: Knex,
  key: Buffer,
  target: { tenantId: string; customerId: string; channel: CodeChannel; ttlMinutes: number },
): Promise<string> {
  const code = generateCode();
  await db('verification_codes')
    .insert({
      tenant_id: target.tenantId,
      customer_id: target.customerId,
      channel: target.channel,
      code_hash: hashCode(key, target.customerId, target.channel, code),
      attempts: 0,
      consumed_at: null,
      expires_at: new Date(Date.now() + target.ttlMinutes * 60_000),
      created_at: new Date(),
    })
    .onConflict(['customer_id', 'channel'])
    .merge(['code_hash', 'attempts', 'consumed_at', 'expires_at', 'created_at']);
  return code;
}
