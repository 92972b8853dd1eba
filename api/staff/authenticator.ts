/**
 * The seam between staff routes and whoever vouches for staff. A StaffAuthenticator turns a bearer token into a
 * staff actor: locally a session from password + TOTP login (sessions.ts), or, with STAFF_AUTH=oidc, an access
 * token of the organisation's identity provider whose roles claim maps onto STAFF_ROLES (oidc.ts). Routes see
 * only `req.actor`, so they do not know which one is in front. Local sessions also reach the back office's browser
 * as a cookie (browser-session.ts); the guard takes a bearer token first and the cookie only without one.
 */
import type { RequestHandler } from 'express';
import { STAFF_ROLES, type StaffRole } from '../../common/access';
import type { Actor } from '../auth/actor';
import { bearerToken } from '../auth/guards';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../http/errors';
import type { RouteChecks } from '../http/route';
import type { BrowserSessions } from './browser-session';

export type StaffActor = Extract<Actor, { type: 'staff' }>;

export interface StaffAuthenticator {
  /** `local` keeps accounts, logins and sessions here; `oidc` leaves them to the provider. */
  readonly kind: 'local' | 'oidc';
  /** The staff member a bearer token stands for, or undefined when it is not a live staff credential. */
  authenticate(token: string): Promise<StaffActor | undefined>;
  /** Local sessions only: the session cookie and its CSRF token, for the back office in a browser. */
  readonly browser?: BrowserSessions;
}

/** Every role: routes any signed-in staff member may call (their own sessions, logout). */
export const ANY_STAFF_ROLE: readonly StaffRole[] = STAFF_ROLES;

/**
 * The guard of `security: 'staff'` routes. Anything that is not a live staff credential — none, a tenant's OAuth
 * token, a customer's token, the platform token — is a 401. Without an Authorization bearer token, a local session
 * may come as the cookie, checked against forgery (CSRF token, Origin) before the session is even looked up, so a
 * forged request does not keep an idle session alive either.
 */
export function requireStaff(authenticator: StaffAuthenticator): RequestHandler {
  const { browser } = authenticator;
  return async (req, _res, next) => {
    const bearer = bearerToken(req);
    const cookie = bearer === undefined ? browser?.sessionTokenOf(req) : undefined;
    if (cookie !== undefined) browser!.assertNotForged(req, cookie);
    const token = bearer ?? cookie;
    const actor = token ? await authenticator.authenticate(token) : undefined;
    if (!actor) throw new UnauthorizedError('Missing or invalid staff session');
    req.actor = actor;
    req.credentialId = `staff:${actor.id}`;
    if (cookie !== undefined) req.staffCookieSession = { csrfToken: browser!.csrfTokenOf(cookie) };
    next();
  };
}

/**
 * The role check, contributed to the route checks: a staff member holding none of the route's roles gets 403. A
 * TENANT_ADMIN reaches only their own tenant: another tenant's id in the path answers 404, as to a tenant.
 */
export const staffRoleChecks: RouteChecks = (route) => {
  if (route.security !== 'staff') return [];
  const allowed = new Set(route.roles ?? []);
  return [
    (req, _res, next) => {
      const actor = req.actor;
      if (actor?.type !== 'staff') throw new UnauthorizedError('Missing or invalid staff session');
      if (!actor.roles.some((role) => allowed.has(role))) throw new ForbiddenError('Insufficient permissions');
      const pathTenant = req.params.tenantId;
      if (actor.tenantId !== undefined && typeof pathTenant === 'string' && pathTenant !== actor.tenantId) throw new NotFoundError();
      next();
    },
  ];
};
