/**
 * Browser sessions for the back office: the same local staff session as a bearer token, carried instead in an
 * HttpOnly cookie the page's scripts cannot read (`__Host-`: Secure, Path=/, no Domain, so no subdomain can set or
 * read it), SameSite=Strict so another site's pages do not send it. Against what remains of cross-site request
 * forgery, an unsafe request must also carry the session's CSRF token in X-CSRF-Token, which only a page that asked
 * the API (GET /staff/auth/session or the login answer) knows, and any Origin it names must be the API's own.
 *
 * The CSRF token is derived from the session token (an HMAC under a server key), so nothing more is stored: it
 * lives and dies with the session and is recomputed to be compared, in constant time.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import type { Request } from 'express';
import { secretsEqual } from '../auth/guards';
import { CsrfRejectedError } from '../http/errors';

export const SESSION_COOKIE = '__Host-staff_session';
export const CSRF_HEADER = 'X-CSRF-Token';

/** How a session is handed over at login: a bearer token in the body (default), or the cookie. */
export type SessionDelivery = 'token' | 'cookie';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SESSION_TOKEN = /^sst_[A-Za-z0-9_-]{1,100}$/;
const ATTRIBUTES = 'Path=/; HttpOnly; Secure; SameSite=Strict';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the staff guard when the request came with the session cookie (and no bearer token). */
    staffCookieSession?: { csrfToken: string };
  }
}

/** The CSRF key, derived from a server secret (the verification-code key) for this one purpose. */
export function csrfKeyFrom(secret: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, '', 'staff-csrf', 32));
}

export function createBrowserSessions(csrfKey: Buffer) {
  const csrfTokenOf = (sessionToken: string) => createHmac('sha256', csrfKey).update(sessionToken).digest('base64url');
  return {
    csrfTokenOf,

    /** The session token the request's cookie carries, if it has one of the right shape. */
    sessionTokenOf(req: Request): string | undefined {
      const value = cookieValue(req.get('cookie'), SESSION_COOKIE);
      return value !== undefined && SESSION_TOKEN.test(value) ? value : undefined;
    },

    /**
     * Refuses a cookie-authenticated request another site may have made: an unsafe method needs the session's CSRF
     * token, and any request that names an Origin must name this API's.
     */
    assertNotForged(req: Request, sessionToken: string): void {
      assertOwnOrigin(req);
      if (SAFE_METHODS.has(req.method)) return;
      const given = req.get(CSRF_HEADER);
      if (!given) throw new CsrfRejectedError(`A cookie session needs the ${CSRF_HEADER} header on ${req.method} requests`);
      if (!secretsEqual(given, csrfTokenOf(sessionToken))) throw new CsrfRejectedError(`The ${CSRF_HEADER} header does not match the session`);
    },
  };
}

export type BrowserSessions = ReturnType<typeof createBrowserSessions>;

/** When an Origin header is present it must be the request's own: scheme, host and port (behind a trusted proxy, as forwarded). */
export function assertOwnOrigin(req: Request): void {
  const origin = req.get('origin');
  if (origin === undefined) return;
  if (origin.toLowerCase() !== `${req.protocol}://${req.host}`.toLowerCase()) throw new CsrfRejectedError('The request comes from another origin');
}

/** The Set-Cookie value that hands the session to the browser until the session's absolute end. */
export function sessionCookie(sessionToken: string, expiresAt: string, now = Date.now()): string {
  const maxAge = Math.max(0, Math.floor((Date.parse(expiresAt) - now) / 1000));
  return `${SESSION_COOKIE}=${sessionToken}; ${ATTRIBUTES}; Max-Age=${maxAge}`;
}

/** The Set-Cookie value that makes the browser drop the session cookie. */
export const clearedSessionCookie = `${SESSION_COOKIE}=; ${ATTRIBUTES}; Max-Age=0`;

/** One cookie's value from a Cookie header (RFC 6265 §4.2: `name=value` pairs separated by `; `), the first if repeated. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0 || pair.slice(0, separator).trim() !== name) continue;
    const value = pair.slice(separator + 1).trim();
    return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  }
  return undefined;
}
