/**
 * Local staff sessions: an opaque 256-bit token, shown once at login and stored only as a SHA-256 digest (a slow
 * hash buys nothing against that entropy, see api/tenancy/api-keys.ts). Each request that presents a live token
 * moves its idle clock; the roles come from the account on every request, so a role change or a disabled account
 * takes effect at once, as does a revocation.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from '../../common/db';
import type { StaffRole } from '../../common/access';
import { NotFoundError } from '../http/errors';
import type { StaffActor } from './authenticator';

export interface SessionSettings {
  idleMinutes: number;
  maxHours: number;
}

export interface IssuedSession {
  sessionId: string;
  /** The signed-in staff member. */
  staffId: string;
  token: string;
  expiresAt: string;
  idleTimeoutSeconds: number;
}

export interface SessionView {
  sessionId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  current: boolean;
}

const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

export function createStaffSessions(db: Knex, settings: SessionSettings) {
  const idle = `${settings.idleMinutes} minutes`;
  return {
    async issue(accountId: string, trx: Knex = db): Promise<IssuedSession> {
      const token = `sst_${randomBytes(32).toString('base64url')}`;
      const sessionId = `sss_${randomBytes(12).toString('hex')}`;
      const [row] = await trx('staff_sessions')
        .insert({ id: sessionId, account_id: accountId, token_digest: digest(token), expires_at: trx.raw(`now() + make_interval(hours => ?)`, [settings.maxHours]) })
        .returning<Array<{ expires_at: Date }>>('expires_at');
      return { sessionId, staffId: accountId, token, expiresAt: row!.expires_at.toISOString(), idleTimeoutSeconds: settings.idleMinutes * 60 };
    },

    /** The staff member a live token belongs to (and the token's idle clock restarts), or undefined. */
    async authenticate(token: string): Promise<StaffActor | undefined> {
      const { rows } = await db.raw<{ rows: Array<{ id: string; account_id: string; roles: StaffRole[]; tenant_id: string | null }> }>(
        `update staff_sessions s set last_seen_at = now()
           from staff_accounts a
          where s.token_digest = ? and a.id = s.account_id and a.disabled_at is null
            and s.revoked_at is null and s.expires_at > now() and s.last_seen_at > now() - ?::interval
        returning s.id, s.account_id, a.roles, a.tenant_id`,
        [digest(token), idle],
      );
      const row = rows[0];
      if (!row) return undefined;
      return { type: 'staff', id: row.account_id, roles: row.roles, ...(row.tenant_id ? { tenantId: row.tenant_id } : {}), sessionId: row.id };
    },

    /** When a session ends at the latest (its idle limit may end it sooner). */
    async expiresAt(sessionId: string): Promise<string> {
      const row = await db('staff_sessions').where({ id: sessionId }).first<{ expires_at: Date } | undefined>('expires_at');
      if (!row) throw new NotFoundError('Session not found');
      return row.expires_at.toISOString();
    },

    async list(accountId: string, currentSessionId?: string): Promise<SessionView[]> {
      const rows = await db('staff_sessions')
        .where({ account_id: accountId })
        .whereNull('revoked_at')
        .where('expires_at', '>', db.fn.now())
        .where('last_seen_at', '>', db.raw('now() - ?::interval', [idle]))
        .orderBy('created_at')
        .select<Array<{ id: string; created_at: Date; last_seen_at: Date; expires_at: Date }>>('id', 'created_at', 'last_seen_at', 'expires_at');
      return rows.map((row) => ({
        sessionId: row.id,
        createdAt: row.created_at.toISOString(),
        lastSeenAt: row.last_seen_at.toISOString(),
        expiresAt: row.expires_at.toISOString(),
        current: row.id === currentSessionId,
      }));
    },

    /** Revokes one of the account's own sessions; another account's session is not found. */
    async revoke(accountId: string, sessionId: string): Promise<void> {
      const revoked = await db('staff_sessions').where({ id: sessionId, account_id: accountId }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
      if (revoked === 0) throw new NotFoundError('Session not found');
    },

    /** Revokes every session of an account (a disabled account, or the platform admin's order); returns how many. */
    async revokeAll(accountId: string, trx: Knex = db): Promise<number> {
      return trx('staff_sessions').where({ account_id: accountId }).whereNull('revoked_at').update({ revoked_at: trx.fn.now() });
    },
  };
}

export type StaffSessions = ReturnType<typeof createStaffSessions>;
