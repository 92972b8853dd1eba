/**
 * Lockout with back-off for staff logins, counted in Postgres so every API process sees one count. Two keys per
 * attempt: the e-mail address (hashed; counted whether or not an account has it, so being locked reveals nothing)
 * and the client address (a higher threshold, against one client trying many addresses). Past a key's threshold
 * each failure locks it for `lockSeconds`, doubled per further failure, at most `maxLockSeconds`.
 */
import { createHash } from 'node:crypto';
import type { Knex } from '../../common/db';
import { RateLimitExceededError } from '../http/errors';

export interface ThrottleSettings {
  threshold: number;
  ipThreshold: number;
  lockSeconds: number;
  maxLockSeconds: number;
}

/** 429 RATE_LIMIT_EXCEEDED with Retry-After: the same answer for either key, so it does not say which is locked. */
const locked = (retryAfterSeconds: number) => new RateLimitExceededError(retryAfterSeconds, 'Too many failed attempts, please try again later');

export interface LoginKeys {
  email: string;
  ip: string;
}

export function createLoginThrottle(db: Knex, settings: ThrottleSettings) {
  const keysOf = ({ email, ip }: LoginKeys) => [
    { key: `email:${createHash('sha256').update(email.trim().toLowerCase()).digest('base64url')}`, threshold: settings.threshold },
    { key: `ip:${ip}`, threshold: settings.ipThreshold },
  ];
  return {
    /** Refuses the attempt while either key is locked. */
    async assertOpen(keys: LoginKeys): Promise<void> {
      const row = await db('staff_login_throttles')
        .whereIn('key', keysOf(keys).map(({ key }) => key))
        .where('locked_until', '>', db.fn.now())
        .first<{ seconds: number | null }>(db.raw('ceil(extract(epoch from max(locked_until) - now()))::int as seconds'));
      if (row?.seconds != null) throw locked(Math.max(1, row.seconds));
    },

    /** Counts a failure on both keys, locking a key that reaches its threshold. */
    async recordFailure(keys: LoginKeys): Promise<void> {
      for (const { key, threshold } of keysOf(keys)) {
        await db.raw(
          `insert into staff_login_throttles as t (key, failures, locked_until, updated_at)
           values (?, 1, case when 1 >= ? then now() + make_interval(secs => ?) end, now())
           on conflict (key) do update set
             failures = t.failures + 1,
             updated_at = now(),
             locked_until = case when t.failures + 1 >= ?
               then now() + make_interval(secs => least(?::float8, ?::float8 * power(2, least(t.failures + 1 - ?, 20))))
               else t.locked_until end`,
          [key, threshold, settings.lockSeconds, threshold, settings.maxLockSeconds, settings.lockSeconds, threshold],
        );
      }
    },

    /** A successful login clears its e-mail's count (not the address's: one good account must not reset it). */
    async recordSuccess(keys: LoginKeys): Promise<void> {
      await db('staff_login_throttles').where({ key: keysOf(keys)[0]!.key }).delete();
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
