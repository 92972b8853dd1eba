/**
 * The customer's own sign-in (B2C): login, the second step of a 2FA login, refresh, and password reset by e-mailed
 * code. Public routes (`security: 'none'`) that name their tenant with X-Tenant-ID; see schemas.ts.
 */
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import type { CustomerLogin } from './login';
import type { PasswordReset } from './password-reset';
import {
  challengeBody,
  challengeResponse,
  loginBody,
  publicTenant,
  refreshBody,
  resetConfirmBody,
  resetRequestBody,
  tokensAnswer,
  tokensResponse,
} from './schemas';
import type { CustomerSessions } from './sessions';

const BASE = '/api/v2.1/customer/auth';
const common = { tag: 'Customer sessions', security: 'none' as const, ipRateLimit: 'customerSignIn' as const };
/** Routes that open or renew a session: the audit trail records each success with the customer as actor. */
const signIn = { ...common, recordsSignIn: true };
const badRequest = { 400: { description: 'Invalid body, or X-Tenant-ID missing or malformed' } };

export function mountCustomerAuthRoutes(mount: Mount, deps: { login: CustomerLogin; sessions: CustomerSessions; reset: PasswordReset }) {
  mountRoute(mount, {
    ...signIn,
    method: 'post',
    path: `${BASE}/login`,
    summary: "A customer signs in with e-mail and password (X-Tenant-ID names the tenant); with 2FA on, a challenge comes back instead of tokens",
    body: loginBody,
    responses: {
      200: { description: 'Signed in', schema: tokensResponse },
      202: { description: 'Password right; send a TOTP or recovery code to /login/2fa', schema: challengeResponse },
      ...badRequest,
      401: { description: 'Invalid e-mail or password (the same answer whether or not the address is known)' },
      429: { description: 'Too many failed logins for this address; Retry-After says when to try again' },
    },
    handler: async ({ body, req }) => {
      const result = await deps.login.login(publicTenant(req), body.email, body.password);
      if (result.kind === 'tokens') return tokensAnswer(req, publicTenant(req), result.tokens);
      return { status: 202, body: { twoFactorRequired: true, challengeToken: result.challengeToken, expiresIn: result.expiresIn } };
    },
  });

  mountRoute(mount, {
    ...signIn,
    method: 'post',
    path: `${BASE}/login/2fa`,
    summary: 'Completes a 2FA login with a TOTP code or a single-use recovery code',
    body: challengeBody,
    responses: {
      200: { description: 'Signed in', schema: tokensResponse },
      ...badRequest,
      401: { description: 'The code is wrong, or the challenge is unknown, spent or expired' },
    },
    handler: async ({ body, req }) => tokensAnswer(req, publicTenant(req), await deps.login.completeChallenge(publicTenant(req), body.challengeToken, body.code)),
  });

  mountRoute(mount, {
    ...signIn,
    method: 'post',
    path: `${BASE}/refresh`,
    summary: 'Exchanges a refresh token for a new access token and the next refresh token; a reused one revokes the session',
    body: refreshBody,
    responses: {
      200: { description: 'New tokens; the refresh token sent is spent', schema: tokensResponse },
      ...badRequest,
      401: { description: 'Unknown, expired or already used refresh token (reuse revokes the session)' },
    },
    handler: async ({ body, req }) => tokensAnswer(req, publicTenant(req), await deps.sessions.refresh(publicTenant(req), body.refreshToken)),
  });

  mountRoute(mount, {
    ...common,
    method: 'post',
    path: `${BASE}/password-reset`,
    summary: 'Mails a password reset code (also how a customer without a password sets one); the same answer for any address',
    body: resetRequestBody,
    responses: { 202: { description: 'If the address is a customer’s, a code is on its way', schema: z.object({ accepted: z.literal(true) }) }, ...badRequest },
    handler: async ({ body, req }) => {
      await deps.reset.request(publicTenant(req), body.email);
      return { status: 202, body: { accepted: true } };
    },
  });

  mountRoute(mount, {
    ...common,
    method: 'post',
    path: `${BASE}/password-reset/confirm`,
    summary: 'Sets a new password with the e-mailed code; every session of the customer is revoked',
    body: resetConfirmBody,
    responses: {
      200: { description: 'Password set; sign in with it', schema: z.object({ passwordSet: z.literal(true) }) },
      400: { description: 'Invalid body, or the code is wrong, spent or expired' },
    },
    handler: async ({ body, req }) => {
      await deps.reset.confirm(publicTenant(req), body.email, body.code, body.newPassword);
      return { status: 200, body: { passwordSet: true } };
    },
  });
}
