/**
 * Lockout with back-off, per e-mail address of a tenant: after FREE_FAILURES wrong logins the address is locked
 * for BASE_LOCK_SECONDS, doubling with each further failure up to MAX_LOCK_SECONDS. Unknown addresses count the
 * same way, so a locked answer says nothing about whether the address is a customer's; and failures with other
 * addresses never touch this one's counter. A right password resets it. Owns `customer_login_failures`.
 */
import { createHmac } from 'node:crypto';
import type { Knex } from '../../common/db';
import { ApiError } from '../http/errors';

export const FREE_FAILURES = 5;
const BASE_LOCK_SECONDS = 30;
const MAX_LOCK_SECONDS = 3600;

export class LoginLockedError extends ApiError {
  constructor(retryAfterSeconds: number) {
    super(429, 'ACCOUNT_LOCKED', 'Too many failed logins; try again later', undefined, { 'Retry-After': String(retryAfterSeconds) });
  }
}

export function lockSeconds(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_LOCK_SECONDS, BASE_LOCK_SECONDS * 2 ** (failures - FREE_FAILURES));
}

export function createLoginLockout(db: Knex, key: Buffer) {
  const emailKey = (email: string) => createHmac('sha256', key).update(`customer-login:${email.trim().toLowerCase()}`).digest('base64url');
  return {
    /** Throws 429 while the address is locked; before any password is checked. */
    async assertOpen(tenantId: string, email: string): Promise<void> {
      const row = await db('customer_login_failures')
        .where({ tenant_id: tenantId, email_key: emailKey(email) })
        .first<{ locked_until: Date | null } | undefined>('locked_until');
      const remainingMs = (row?.locked_until?.getTime() ?? 0) - Date.now();
      if (remainingMs > 0) throw new LoginLockedError(Math.ceil(remainingMs / 1000));
    },

    async recordFailure(tenantId: string, email: string): Promise<void> {
      const { rows } = await db.raw<{ rows: Array<{ failures: number }> }>(
        `insert into customer_login_failures (tenant_id, email_key, failures) values (?, ?, 1)
         on conflict (tenant_id, email_key) do update set failures = customer_login_failures.failures + 1, updated_at = now()
         returning failures`,
        [tenantId, emailKey(email)],
      );
      const seconds = lockSeconds(rows[0]!.failures);
      if (seconds > 0) {
        await db('customer_login_failures')
          .where({ tenant_id: tenantId, email_key: emailKey(email) })
          .update({ locked_until: new Date(Date.now() + seconds * 1000) });
      }
    },

    async reset(tenantId: string, email: string): Promise<void> {
      await db('customer_login_failures').where({ tenant_id: tenantId, email_key: emailKey(email) }).del();
    },
  };
}

export type LoginLockout = ReturnType<typeof createLoginLockout>;
