/**
 * Password login. Every refusal — unknown tenant, unknown address, no password set, wrong password, account
 * closed — is the same 401 after the same work: an unknown address is checked against a dummy hash made with
 * the same argon2id parameters. A customer with TOTP on gets a challenge instead of tokens.
 */
import { randomBytes } from 'node:crypto';
import type { PasswordHasher } from '../individuals/passwords';
import { UnauthorizedError } from '../http/errors';
import type { CustomerAccounts } from './accounts';
import type { LoginLockout } from './lockout';
import type { CustomerSessions, SessionTokens } from './sessions';
import type { CustomerTotp } from './totp';

export type LoginResult = { kind: 'tokens'; tokens: SessionTokens } | { kind: 'challenge'; challengeToken: string; expiresIn: number };

export const INVALID_CREDENTIALS = 'Invalid e-mail or password';

export function createCustomerLogin(deps: {
  accounts: CustomerAccounts;
  passwords: PasswordHasher;
  lockout: LoginLockout;
  sessions: CustomerSessions;
  totp: CustomerTotp;
}) {
  const { accounts, passwords, lockout, sessions, totp } = deps;
  let dummyHash: Promise<string> | undefined;
  const dummy = () => (dummyHash ??= passwords.hash(randomBytes(16).toString('hex')));

  return {
    async login(tenantId: string, email: string, password: string): Promise<LoginResult> {
      const tenantKnown = await accounts.tenantExists(tenantId);
      if (!tenantKnown) {
        await passwords.verify(await dummy(), password);
        throw new UnauthorizedError(INVALID_CREDENTIALS);
      }
      await lockout.assertOpen(tenantId, email);
      const account = await accounts.byEmail(tenantId, email);
      const matches = await passwords.verify(account?.password_hash ?? (await dummy()), password);
      if (!account?.password_hash || !matches || !accounts.maySignIn(account)) {
        await lockout.recordFailure(tenantId, email);
        throw new UnauthorizedError(INVALID_CREDENTIALS);
      }
      // With 2FA on, the count is cleared only once the second factor is right too (completeChallenge).
      if (await totp.enabled(tenantId, account.id)) return { kind: 'challenge', ...(await sessions.openChallenged(tenantId, account.id)) };
      await lockout.reset(tenantId, email);
      return { kind: 'tokens', tokens: await sessions.open(tenantId, account.id) };
    },

    /**
     * The second step of a challenged login: a TOTP code or a single-use recovery code. A wrong code counts against
     * the address's lockout like a wrong password, so fresh challenges (the password being known) do not buy
     * unlimited guesses.
     */
    completeChallenge(tenantId: string, challengeToken: string, code: string): Promise<SessionTokens> {
      return sessions.completeChallenge(tenantId, challengeToken, async (customerId) => {
        const email = await accounts.email(tenantId, customerId);
        await lockout.assertOpen(tenantId, email);
        const right = await totp.verify(tenantId, customerId, code);
        await (right ? lockout.reset(tenantId, email) : lockout.recordFailure(tenantId, email));
        return right;
      });
    },
  };
}

export type CustomerLogin = ReturnType<typeof createCustomerLogin>;
