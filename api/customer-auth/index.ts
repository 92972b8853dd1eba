/** Customer sessions (B2C sign-in), built from their clients: the services, the guard and the routes. */
import type { RequestHandler } from 'express';
import type { Client } from '@temporalio/client';
import type { Knex } from '../../common/db';
import type { FieldCipher } from '../../common/field-encryption';
import type { TokenService } from '../auth/tokens';
import type { PasswordHasher } from '../individuals/passwords';
import type { Mount } from '../http/route';
import { createCustomerAccounts } from './accounts';
import { requireTenantOrCustomer } from './guard';
import { createLoginLockout } from './lockout';
import { createCustomerLogin } from './login';
import { createPasswordReset } from './password-reset';
import { mountCustomerAuthRoutes } from './routes';
import { mountCustomerSessionRoutes } from './session-routes';
import { createCustomerSessions } from './sessions';
import { createCustomerTotp } from './totp';
import { createCustomerTokens } from './tokens';

export { customerScope } from './guard';

export interface CustomerAuthDeps {
  db: Knex;
  temporal: Client;
  passwords: PasswordHasher;
  tenantTokens: TokenService;
  /** The tenant routes' guard, which a tenant token on a customer route goes through. */
  tenantGuard: RequestHandler;
  settings: {
    jwtSecret: string;
    jwtIssuer: string;
    taskQueue: string;
    codeHashKey: Buffer;
    customerAccessTokenTtlSeconds: number;
    customerSessionTtlSeconds: number;
    passwordResetCodeTtlMinutes: number;
    customerTotpCipher: FieldCipher;
  };
}

export function createCustomerAuth({ db, temporal, passwords, tenantTokens, tenantGuard, settings }: CustomerAuthDeps) {
  const tokens = createCustomerTokens({ secret: settings.jwtSecret, issuer: settings.jwtIssuer, ttlSeconds: settings.customerAccessTokenTtlSeconds });
  const sessions = createCustomerSessions(db, tokens, settings.customerSessionTtlSeconds);
  const accounts = createCustomerAccounts(db);
  const lockout = createLoginLockout(db, settings.codeHashKey);
  const totp = createCustomerTotp(db, settings.customerTotpCipher);
  const login = createCustomerLogin({ accounts, passwords, lockout, sessions, totp });
  const reset = createPasswordReset({
    db,
    temporal,
    taskQueue: settings.taskQueue,
    codeHashKey: settings.codeHashKey,
    codeTtlMinutes: settings.passwordResetCodeTtlMinutes,
    accounts,
    passwords,
    sessions,
    lockout,
  });
  return {
    guard: requireTenantOrCustomer(tenantTokens, tenantGuard, sessions),
    mount(mount: Mount) {
      mountCustomerAuthRoutes(mount, { login, sessions, reset });
      mountCustomerSessionRoutes(mount, { sessions, totp, accounts });
    },
  };
}
