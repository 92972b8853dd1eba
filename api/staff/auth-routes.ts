/**
 * Staff sign-in: the platform token's one job (the first PLATFORM_ADMIN), enrolment with a setup token, login with
 * password + TOTP (a bearer token, or for the back office a cookie session: browser-session.ts), and a staff
 * member's own sessions. Mounted only with STAFF_AUTH=local.
 */
import { actorOf } from '../auth/actor';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import type { StaffAccounts } from './accounts';
import { ANY_STAFF_ROLE, type StaffActor } from './authenticator';
import { assertOwnOrigin, clearedSessionCookie, sessionCookie, type BrowserSessions } from './browser-session';
import type { StaffLogin } from './login';
import * as s from './schemas';
import type { StaffSessions } from './sessions';

const TAG = 'Staff authentication';
const noStore = { 'Cache-Control': 'no-store' };
const staffActor = (req: Parameters<typeof actorOf>[0]) => actorOf(req) as StaffActor;

export function mountStaffAuthRoutes(mount: Mount, deps: { accounts: StaffAccounts; login: StaffLogin; sessions: StaffSessions; browser: BrowserSessions }) {
  const { accounts, login, sessions, browser } = deps;
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/staff/auth/bootstrap',
    summary: 'Create the first PLATFORM_ADMIN with the platform token (refused once any staff account exists)',
    tag: TAG,
    security: 'platformAdmin',
    body: s.bootstrapBody,
    idempotent: false,
    responses: {
      201: { description: 'The account and its setup token, shown only now', schema: s.createdStaffSchema },
      400: { description: 'Invalid input' },
      401: { description: 'Missing, invalid or disabled platform token' },
      403: { description: 'Staff accounts exist already' },
    },
    handler: async ({ body }) => ({ status: 201, body: await accounts.bootstrap(body.email), headers: noStore }),
  });
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/staff/auth/enrolment',
    summary: 'Set a password with the setup token and receive the TOTP secret (otpauth URI and QR code)',
    tag: TAG,
    security: 'none',
    body: s.enrolmentBody,
    responses: {
      200: { description: 'Scan it, then confirm with a first code', schema: s.enrolmentAnswer },
      400: { description: 'Invalid input' },
      401: { description: 'Invalid, used or expired setup token' },
    },
    handler: async ({ body }) => ({ status: 200, body: await accounts.startEnrolment(body.setupToken, body.password), headers: noStore }),
  });
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/staff/auth/enrolment/confirmation',
    summary: 'Confirm the authenticator with a first code; answers the recovery codes, shown once',
    tag: TAG,
    security: 'none',
    body: s.confirmationBody,
    responses: {
      200: { description: 'Enrolled: the account may log in', schema: s.recoveryCodesAnswer },
      400: { description: 'Invalid input, or a code that does not match' },
      401: { description: 'Invalid, used or expired setup token' },
      409: { description: 'No TOTP secret issued yet' },
    },
    handler: async ({ body }) => ({ status: 200, body: await accounts.confirmEnrolment(body.setupToken, body.totp), headers: noStore }),
  });
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/staff/auth/login',
    summary: 'Log in with e-mail, password and a TOTP code (or a recovery code); answers a short-lived session token, or sets it as a cookie',
    tag: TAG,
    security: 'none',
    recordsSignIn: true,
    body: s.loginBody,
    responses: {
      200: {
        description: 'A session: its token (session "token"), or with session "cookie" Set-Cookie __Host-staff_session and its CSRF token',
        schema: s.sessionAnswer.or(s.cookieSessionAnswer),
      },
      400: { description: 'Invalid input' },
      401: { description: 'Refused (the answer does not say which part was wrong)' },
      403: { description: 'A cookie login from another origin (CSRF_REJECTED)' },
      429: { description: 'Locked after repeated failures; Retry-After says for how long' },
    },
    handler: async ({ body, req }) => {
      const asCookie = body.session === 'cookie';
      // Another site's page must not sign this browser in (to an account of the attacker's choosing).
      if (asCookie) assertOwnOrigin(req);
      const session = await login.login(body, req.ip ?? 'unknown');
      // The signed-in member is this call's actor, for the audit trail (roles are read per request, not needed here).
      req.actor = { type: 'staff', id: session.staffId, roles: [], sessionId: session.sessionId };
      if (!asCookie) return { status: 200, body: session, headers: noStore };
      const { token, ...rest } = session;
      return { status: 200, body: { ...rest, csrfToken: browser.csrfTokenOf(token) }, headers: { ...noStore, 'Set-Cookie': sessionCookie(token, session.expiresAt) } };
    },
  });
  mountRoute(mount, {
    method: 'get',
    path: '/api/v2.1/staff/auth/session',
    summary: 'The current session: who is signed in, until when, and (for a cookie session) its CSRF token, so a reloaded page recovers it',
    tag: TAG,
    security: 'staff',
    roles: ANY_STAFF_ROLE,
    responses: { 200: { description: 'The live session', schema: s.currentSessionAnswer }, 401: { description: 'No live staff session' } },
    handler: async ({ req }) => {
      const actor = staffActor(req);
      const [staff, expiresAt] = await Promise.all([accounts.get(actor.id), sessions.expiresAt(actor.sessionId!)]);
      return { status: 200, body: { staff, csrfToken: req.staffCookieSession?.csrfToken ?? null, expiresAt }, headers: noStore };
    },
  });
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/staff/auth/logout',
    summary: 'End the current session at once (a cookie session’s cookie is cleared too)',
    tag: TAG,
    security: 'staff',
    roles: ANY_STAFF_ROLE,
    idempotent: false,
    responses: { 204: { description: 'Ended' }, 401: { description: 'No live staff session' } },
    handler: async ({ req }) => {
      const actor = staffActor(req);
      await sessions.revoke(actor.id, actor.sessionId!);
      return { status: 204, body: undefined, ...(req.staffCookieSession ? { headers: { 'Set-Cookie': clearedSessionCookie } } : {}) };
    },
  });
  mountRoute(mount, {
    method: 'get',
    path: '/api/v2.1/staff/me',
    summary: 'The signed-in staff member',
    tag: TAG,
    security: 'staff',
    roles: ANY_STAFF_ROLE,
    responses: { 200: { description: 'The account', schema: s.staffAccountSchema }, 401: { description: 'No live staff session' } },
    handler: async ({ req }) => ({ status: 200, body: await accounts.get(staffActor(req).id) }),
  });
  mountRoute(mount, {
    method: 'get',
    path: '/api/v2.1/staff/sessions',
    summary: "The signed-in staff member's live sessions",
    tag: TAG,
    security: 'staff',
    roles: ANY_STAFF_ROLE,
    responses: { 200: { description: 'Live sessions, oldest first', schema: s.sessionList }, 401: { description: 'No live staff session' } },
    handler: async ({ req }) => {
      const actor = staffActor(req);
      return { status: 200, body: { sessions: await sessions.list(actor.id, actor.sessionId) } };
    },
  });
  mountRoute(mount, {
    method: 'delete',
    path: '/api/v2.1/staff/sessions/{sessionId}',
    summary: 'End one of your own sessions',
    tag: TAG,
    security: 'staff',
    roles: ANY_STAFF_ROLE,
    params: z.object({ sessionId: s.sessionId }),
    responses: { 204: { description: 'Ended' }, 401: { description: 'No live staff session' }, 404: { description: 'No such live session of yours' } },
    handler: async ({ params, req }) => {
      await sessions.revoke(staffActor(req).id, params.sessionId);
      return { status: 204, body: undefined };
    },
  });
}
