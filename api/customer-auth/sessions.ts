/**
 * Customer sessions: opened by a login, checked on every request, refreshed by rotating an opaque refresh token,
 * revoked by logout, a password reset or the reuse of a spent refresh token (the sign of a stolen one: the whole
 * session goes). Owns `customer_sessions` and `customer_refresh_tokens`.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from '../../common/db';
import { UnauthorizedError } from '../http/errors';
import { SIGN_IN_REFUSED } from './accounts';
import { newOpaqueToken, opaqueDigest, type CustomerClaims, type CustomerTokens } from './tokens';

export interface SessionTokens {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  sessionId: string;
  /** The signed-in customer: the id their own routes take in the path. */
  customerId: string;
}

interface SessionRow {
  id: string;
  tenant_id: string;
  customer_id: string;
  status: 'CHALLENGED' | 'ACTIVE';
  expires_at: Date;
  revoked_at: Date | null;
  challenge_attempts: number;
}

/** Wrong TOTP codes a login challenge takes before it is spent. */
const CHALLENGE_ATTEMPTS = 5;
/** How long a password-verified login waits for its second factor. */
const CHALLENGE_TTL_MS = 5 * 60_000;

const live = (row: SessionRow | undefined): row is SessionRow => !!row && !row.revoked_at && row.expires_at.getTime() > Date.now();

export function createCustomerSessions(db: Knex, tokens: CustomerTokens, sessionTtlSeconds: number) {
  async function tokensFor(trx: Knex, session: Pick<SessionRow, 'id' | 'tenant_id' | 'customer_id'>): Promise<SessionTokens> {
    const refreshToken = newOpaqueToken('crt');
    await trx('customer_refresh_tokens').insert({ token_hash: opaqueDigest(refreshToken), tenant_id: session.tenant_id, session_id: session.id });
    const accessToken = await tokens.issue({ tenantId: session.tenant_id, customerId: session.customer_id, sessionId: session.id });
    return { accessToken, tokenType: 'Bearer', expiresIn: tokens.ttlSeconds, refreshToken, sessionId: session.id, customerId: session.customer_id };
  }

  async function revokeWhere(trx: Knex, where: Record<string, string>, reason: string): Promise<void> {
    await trx('customer_sessions').where(where).whereNull('revoked_at').update({ revoked_at: trx.fn.now(), revoked_reason: reason });
  }

  return {
    /** A session whose tokens work at once (no second factor). */
    async open(tenantId: string, customerId: string): Promise<SessionTokens> {
      return db.transaction(async (trx) => {
        const session = { id: newSessionId(), tenant_id: tenantId, customer_id: customerId };
        await trx('customer_sessions').insert({ ...session, status: 'ACTIVE', expires_at: new Date(Date.now() + sessionTtlSeconds * 1000) });
        return tokensFor(trx, session);
      });
    },

    /** A session waiting for a TOTP or recovery code; the challenge token is its only handle. */
    async openChallenged(tenantId: string, customerId: string): Promise<{ challengeToken: string; expiresIn: number }> {
      const challengeToken = newOpaqueToken('cch');
      await db('customer_sessions').insert({
        id: newSessionId(),
        tenant_id: tenantId,
        customer_id: customerId,
        status: 'CHALLENGED',
        challenge_hash: opaqueDigest(challengeToken),
        expires_at: new Date(Date.now() + CHALLENGE_TTL_MS),
      });
      return { challengeToken, expiresIn: CHALLENGE_TTL_MS / 1000 };
    },

    /**
     * Completes a challenge: `verify` checks the second factor (and consumes it). Wrong answers count against
     * the challenge; an unknown, spent or expired challenge is a 401 like any bad credential.
     */
    async completeChallenge(tenantId: string, challengeToken: string, verify: (customerId: string) => Promise<boolean>): Promise<SessionTokens> {
      const where = { tenant_id: tenantId, challenge_hash: opaqueDigest(challengeToken), status: 'CHALLENGED' };
      const row = await db('customer_sessions').where(where).first<SessionRow | undefined>();
      if (!live(row) || row.challenge_attempts >= CHALLENGE_ATTEMPTS) throw new UnauthorizedError('The login challenge is invalid or expired');
      if (!(await verify(row.customer_id))) {
        await db('customer_sessions').where({ id: row.id, tenant_id: tenantId }).increment('challenge_attempts', 1);
        throw new UnauthorizedError('The code is not correct');
      }
      return db.transaction(async (trx) => {
        const promoted = await trx('customer_sessions')
          .where({ ...where, id: row.id })
          .whereNull('revoked_at')
          .update({ status: 'ACTIVE', challenge_hash: null, expires_at: new Date(Date.now() + sessionTtlSeconds * 1000) });
        if (promoted !== 1) throw new UnauthorizedError('The login challenge is invalid or expired');
        return tokensFor(trx, row);
      });
    },

    /**
     * Rotates a refresh token. A token already used is a replay of a stolen or leaked one: the session it belongs
     * to is revoked, so neither the thief nor the customer keeps it (the customer signs in again).
     */
    async refresh(tenantId: string, refreshToken: string): Promise<SessionTokens> {
      const outcome = await db.transaction(async (trx) => {
        const token = await trx('customer_refresh_tokens')
          .where({ tenant_id: tenantId, token_hash: opaqueDigest(refreshToken) })
          .forUpdate()
          .first<{ session_id: string; used_at: Date | null } | undefined>();
        if (!token) return undefined;
        const session = await trx('customer_sessions').where({ tenant_id: tenantId, id: token.session_id }).forUpdate().first<SessionRow>();
        if (token.used_at) {
          await revokeWhere(trx, { tenant_id: tenantId, id: session.id }, 'REFRESH_TOKEN_REUSED');
          return 'REUSED' as const;
        }
        if (!live(session) || session.status !== 'ACTIVE') return undefined;
        const refused = await trx('customers').where({ tenant_id: tenantId, id: session.customer_id }).whereIn('status', SIGN_IN_REFUSED).first('id');
        if (refused) return undefined;
        await trx('customer_refresh_tokens').where({ tenant_id: tenantId, token_hash: opaqueDigest(refreshToken) }).update({ used_at: trx.fn.now() });
        return tokensFor(trx, session);
      });
      if (outcome === 'REUSED') throw new UnauthorizedError('The refresh token was already used; the session is revoked');
      if (!outcome) throw new UnauthorizedError('The refresh token is invalid or expired');
      return outcome;
    },

    async revoke(tenantId: string, sessionId: string, reason: string): Promise<void> {
      await revokeWhere(db, { tenant_id: tenantId, id: sessionId }, reason);
    },

    /** Every session of the customer (a password reset, turning 2FA off). */
    async revokeAll(tenantId: string, customerId: string, reason: string, trx: Knex = db): Promise<void> {
      await revokeWhere(trx, { tenant_id: tenantId, customer_id: customerId }, reason);
    },

    /** The claims of a customer access token whose session is live and active, or undefined. */
    async authenticate(accessToken: string): Promise<CustomerClaims | undefined> {
      const claims = await tokens.verify(accessToken);
      if (!claims) return undefined;
      // Joined with the customer: one that staff blocked or closed is signed out on their next request.
      const row = await db('customer_sessions as s')
        .join('customers as c', (on) => on.on('c.tenant_id', 's.tenant_id').andOn('c.id', 's.customer_id'))
        .where({ 's.tenant_id': claims.tenantId, 's.id': claims.sessionId, 's.customer_id': claims.customerId, 's.status': 'ACTIVE' })
        .whereNotIn('c.status', SIGN_IN_REFUSED)
        .first<SessionRow | undefined>('s.*');
      return live(row) ? claims : undefined;
    },
  };
}

export type CustomerSessions = ReturnType<typeof createCustomerSessions>;

function newSessionId(): string {
  return `cses_${randomBytes(12).toString('hex')}`;
}
