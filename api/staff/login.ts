/**
 * Staff login: e-mail, password and a second factor (a TOTP code, or one unused recovery code) in one request,
 * answered with a session or one refusal that never says which part was wrong, nor whether the e-mail exists (an
 * unknown address still costs a password verification, and counts toward its own lockout).
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from '../../common/db';
import type { FieldCipher } from '../../common/field-encryption';
import { acceptedTotpStep, recoveryCodeDigest } from '../auth/totp';
import { UnauthorizedError } from '../http/errors';
import type { PasswordHasher } from '../individuals/passwords';
import { totpContext } from './accounts';
import type { IssuedSession, StaffSessions } from './sessions';
import type { LoginThrottle } from './throttle';

/** Exactly one of `totp` and `recoveryCode` (the route's schema sees to it). */
export type LoginRequest = { email: string; password: string; totp?: string; recoveryCode?: string };

interface LoginRow {
  id: string;
  password_hash: string | null;
  totp_secret_sealed: string | null;
  totp_last_step: string | null;
}

export function createStaffLogin(deps: { db: Knex; passwords: PasswordHasher; totpCipher: FieldCipher; sessions: StaffSessions; throttle: LoginThrottle }) {
  const { db, passwords, totpCipher, sessions, throttle } = deps;
  /** A hash nobody knows the password of, verified for unknown addresses so they take as long as known ones. */
  const decoy = passwords.hash(randomBytes(32).toString('base64url'));

  /** Accepts a code only for a step after the last one accepted; the conditional update settles a race of two. */
  async function acceptTotp(account: LoginRow, code: string): Promise<boolean> {
    const secret = totpCipher.decrypt(account.totp_secret_sealed!, totpContext(account.id));
    const last = account.totp_last_step === null ? null : Number(account.totp_last_step);
    const step = acceptedTotpStep(secret, code, last);
    if (step === undefined) return false;
    const moved = await db('staff_accounts')
      .where({ id: account.id })
      .where((q) => q.whereNull('totp_last_step').orWhere('totp_last_step', '<', step))
      .update({ totp_last_step: step });
    return moved === 1;
  }

  async function consumeRecoveryCode(accountId: string, code: string): Promise<boolean> {
    const used = await db('staff_recovery_codes')
      .where({ account_id: accountId, digest: recoveryCodeDigest(code) })
      .whereNull('used_at')
      .update({ used_at: db.fn.now() });
    return used === 1;
  }

  return {
    async login(request: LoginRequest, ip: string): Promise<IssuedSession> {
      const keys = { email: request.email, ip };
      await throttle.assertOpen(keys);
      const account = await db('staff_accounts')
        .where({ email: request.email })
        .whereNotNull('totp_confirmed_at')
        .whereNull('disabled_at')
        .first<LoginRow | undefined>('id', 'password_hash', 'totp_secret_sealed', 'totp_last_step');
      const passwordMatches = await passwords.verify(account?.password_hash ?? (await decoy), request.password);
      const secondFactor = async (found: LoginRow) =>
        request.totp !== undefined ? acceptTotp(found, request.totp) : request.recoveryCode !== undefined && consumeRecoveryCode(found.id, request.recoveryCode);
      if (!account || !passwordMatches || !(await secondFactor(account))) {
        await throttle.recordFailure(keys);
        throw new UnauthorizedError('Invalid e-mail, password or second factor');
      }
      await throttle.recordSuccess(keys);
      return sessions.issue(account.id);
    },
  };
}

export type StaffLogin = ReturnType<typeof createStaffLogin>;
