/**
 * STAFF_AUTH=oidc: the organisation's identity provider signs staff in (with its own password and 2FA policy),
 * and this API only verifies its access tokens (signature from its JWKS, issuer, audience, expiry; see
 * api/auth/oidc.ts). The roles claim lists staff roles (values outside STAFF_ROLES are ignored; a token with none is
 * refused); a TENANT_ADMIN's tenant comes from the tenant claim. Sessions, logout and revocation are the
 * provider's: a token works until it expires, so keep its lifetime short there.
 */
import type { JWTPayload } from 'jose';
import { STAFF_ROLES, type StaffRole } from '../../common/access';
import { claimAt, providerTokenVerifier } from '../auth/oidc';
import type { StaffActor, StaffAuthenticator } from './authenticator';

export interface StaffOidcSettings {
  issuer: string;
  audience: string;
  jwksUrl?: string;
  rolesClaim: string;
  tenantClaim: string;
}

const TENANT_ID = /^tnt_[0-9a-f]{24}$/;

export function createOidcStaffAuthenticator(settings: StaffOidcSettings): StaffAuthenticator {
  const verify = providerTokenVerifier(settings);
  return {
    kind: 'oidc',
    async authenticate(token) {
      return actorOf(await verify(token), settings);
    },
  };
}

/** The staff actor a verified token's claims describe, or undefined when they grant no usable role. */
export function actorOf(payload: JWTPayload, settings: Pick<StaffOidcSettings, 'rolesClaim' | 'tenantClaim'>): StaffActor | undefined {
  if (typeof payload.sub !== 'string' || payload.sub === '') return undefined;
  const claimed = claimAt(payload, settings.rolesClaim);
  const listed = Array.isArray(claimed) ? claimed : typeof claimed === 'string' ? claimed.split(' ') : [];
  const roles = STAFF_ROLES.filter((role): role is StaffRole => listed.includes(role));
  if (roles.length === 0) return undefined;
  const tenant = claimAt(payload, settings.tenantClaim);
  // As for local accounts: TENANT_ADMIN is held alone and names one tenant.
  if (roles.includes('TENANT_ADMIN')) {
    if (roles.length > 1 || typeof tenant !== 'string' || !TENANT_ID.test(tenant)) return undefined;
    return { type: 'staff', id: `oidc:${payload.sub}`, roles, tenantId: tenant };
  }
  return { type: 'staff', id: `oidc:${payload.sub}`, roles };
}
