/**
 * Checks a code the customer typed against the stored hash. Runs here at the edge, so the code itself never
 * enters a workflow: only "verified" does. At most MAX_ATTEMPTS tries per code; an expired code is refused.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Knex } from '../../common/db';
import { hashCode, type CodeChannel } from '../../activities/verification-codes';
import { ValidationError } from '../http/errors';

export const MAX_ATTEMPTS = 5;

type Verdict = 'OK' | 'NONE' | 'EXPIRED' | 'EXHAUSTED' | 'WRONG';

const MESSAGES: Record<Exclude<Verdict, 'OK'>, string> = {
  NONE: 'No code is pending; request a new one',
  EXPIRED: 'The code has expired; request a new one',
  EXHAUSTED: 'Too many wrong attempts; request a new code',
  WRONG: 'The code is not correct',
};

export function createCodeChecker(db: Knex, key: Buffer) {
  return {
    /** Consumes the code when it matches; otherwise counts the attempt and throws a 400 naming the field `code`. */
    async check(tenantId: string, customerId: string, channel: CodeChannel, code: string): Promise<void> {
      const verdict = await db.transaction(async (trx): Promise<Verdict> => {
        const row = await trx('verification_codes')
          .where({ tenant_id: tenantId, customer_id: customerId, channel })
          .forUpdate()
          .first<{ code_hash: string; attempts: number; expires_at: Date } | undefined>();
        if (!row) return 'NONE';
        if (row.attempts >= MAX_ATTEMPTS) return 'EXHAUSTED';
        if (row.expires_at.getTime() <= Date.now()) return 'EXPIRED';
        const given = Buffer.from(hashCode(key, customerId, channel, code));
        const stored = Buffer.from(row.code_hash);
        const where = { tenant_id: tenantId, customer_id: customerId, channel };
        if (given.length === stored.length && timingSafeEqual(given, stored)) {
          await trx('verification_codes').where(where).delete();
          return 'OK';
        }
        await trx('verification_codes').where(where).increment('attempts', 1);
        return 'WRONG';
      });
      if (verdict !== 'OK') throw new ValidationError([{ field: 'code', message: MESSAGES[verdict] }], 'Verification failed');
    },
  };
}
