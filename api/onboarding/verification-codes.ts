/**
 * Checks a code the customer typed against the stored hash. Runs here at the edge, so the code itself never
 * enters a workflow. A match marks the row consumed (the proof the workflow confirms before it accepts
 * "verified"); it is not deleted. Limits: MAX_ATTEMPTS tries per code, and LIFETIME_FAILURES wrong codes per
 * customer and channel over the whole onboarding, which a fresh code does not reset: with the workflow's daily
 * send cap that bounds guessing to well under one chance in 10,000 per contact.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Knex } from '../../common/db';
import { hashCode, type CodeChannel } from '../../activities/verification-codes';
import { ValidationError } from '../http/errors';

export const MAX_ATTEMPTS = 5;
export const LIFETIME_FAILURES = 20;

type Verdict = 'OK' | 'NONE' | 'LOCKED' | 'EXPIRED' | 'EXHAUSTED' | 'WRONG';

const MESSAGES: Record<Exclude<Verdict, 'OK'>, string> = {
  NONE: 'No code is pending; request a new one',
  LOCKED: 'Too many wrong codes for this contact; it can no longer be verified by code',
  EXPIRED: 'The code has expired; request a new one',
  EXHAUSTED: 'Too many wrong attempts; request a new code',
  WRONG: 'The code is not correct',
};

interface CodeRow {
  code_hash: string;
  attempts: number;
  failed_attempts_total: number;
  consumed_at: Date | null;
  expires_at: Date;
}

export function createCodeChecker(db: Knex, key: Buffer) {
  return {
    /**
     * Consumes the code when it matches; otherwise counts the attempt and throws a 400 naming the field `code`.
     * The right code again after it was consumed passes without a write, so a caller whose workflow update was
     * lost (an outage) can repeat the request.
     */
    async check(tenantId: string, customerId: string, channel: CodeChannel, code: string): Promise<void> {
      const verdict = await db.transaction(async (trx): Promise<Verdict> => {
        const where = { tenant_id: tenantId, customer_id: customerId, channel };
        const row = await trx('verification_codes').where(where).forUpdate().first<CodeRow | undefined>();
        if (!row) return 'NONE';
        const given = Buffer.from(hashCode(key, customerId, channel, code));
        const stored = Buffer.from(row.code_hash);
        const matches = given.length === stored.length && timingSafeEqual(given, stored);
        if (row.consumed_at) return matches ? 'OK' : 'NONE';
        if (row.failed_attempts_total >= LIFETIME_FAILURES) return 'LOCKED';
        if (row.attempts >= MAX_ATTEMPTS) return 'EXHAUSTED';
        if (row.expires_at.getTime() <= Date.now()) return 'EXPIRED';
        if (matches) {
          await trx('verification_codes').where(where).update({ consumed_at: trx.fn.now() });
          return 'OK';
        }
        await trx('verification_codes').where(where).increment({ attempts: 1, failed_attempts_total: 1 });
        return 'WRONG';
      });
      if (verdict !== 'OK') throw new ValidationError([{ field: 'code', message: MESSAGES[verdict] }], 'Verification failed');
    },
  };
}
