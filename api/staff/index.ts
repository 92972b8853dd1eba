/**
 * Staff authentication, wired: the authenticator the `staff` guard asks (local sessions or an OIDC provider, by
 * STAFF_AUTH) and, for local accounts, the routes that create, enrol and sign staff in.
 */
import type { Knex } from '../../common/db';
import type { FieldCipher } from '../../common/field-encryption';
import type { Mount } from '../http/route';
import type { PasswordHasher } from '../individuals/passwords';
import { createStaffAccounts } from './accounts';
import { mountStaffAdminRoutes } from './admin-routes';
import { mountStaffAuthRoutes } from './auth-routes';
import type { StaffAuthenticator } from './authenticator';
import { createBrowserSessions } from './browser-session';
import { createStaffLogin } from './login';
import { createOidcStaffAuthenticator, type StaffOidcSettings } from './oidc';
import { mountOidcLoginRefusal } from './oidc-routes';
import { createStaffSessions, type SessionSettings } from './sessions';
import { createLoginThrottle, type ThrottleSettings } from './throttle';

export interface StaffSettings {
  auth: 'local' | 'oidc';
  /** Required when `auth` is `oidc`. */
  oidc?: StaffOidcSettings;
  sessions: SessionSettings;
  throttle: ThrottleSettings;
  setupTokenTtlHours: number;
  /** Seals TOTP secrets at rest. */
  totpCipher: FieldCipher;
  /** Keys the CSRF tokens of cookie sessions (browser-session.ts). */
  csrfKey: Buffer;
}

export const STAFF_TOTP_PURPOSE = 'staff-totp';
const TOTP_ISSUER = 'Onboarding staff';

export function createStaffAuth(db: Knex, passwords: PasswordHasher, settings: StaffSettings): { authenticator: StaffAuthenticator; mountRoutes(mount: Mount): void } {
  if (settings.auth === 'oidc') {
    if (!settings.oidc) throw new Error('oidc settings are required when staff auth is oidc');
    // Accounts, logins and sessions are the provider's: none of the local routes are mounted, only the answer that
    // says so to a back office asking for a cookie session.
    return { authenticator: createOidcStaffAuthenticator(settings.oidc), mountRoutes: mountOidcLoginRefusal };
  }
  const sessions = createStaffSessions(db, settings.sessions);
  const { totpCipher } = settings;
  const accounts = createStaffAccounts({ db, passwords, totpCipher, sessions, settings: { setupTokenTtlHours: settings.setupTokenTtlHours, totpIssuer: TOTP_ISSUER } });
  const browser = createBrowserSessions(settings.csrfKey);
  const login = createStaffLogin({ db, passwords, totpCipher, sessions, throttle: createLoginThrottle(db, settings.throttle) });
  return {
    authenticator: {
      kind: 'local',
      // Only session tokens are looked up: a tenant's JWT or the platform token costs no query.
      authenticate: async (token) => (token.startsWith('sst_') ? sessions.authenticate(token) : undefined),
      browser,
    },
    mountRoutes(mount) {
      mountStaffAuthRoutes(mount, { accounts, login, sessions, browser });
      mountStaffAdminRoutes(mount, accounts);
    },
  };
}
