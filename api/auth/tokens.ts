/**
 * Access tokens for the Customer API: HS256 JWTs naming the tenant, issued by the client-credentials grant. A token
 * also names the client's secret version it was issued under (`ver`); the tenant guard checks it against the
 * client's row, so a rotation or a revocation ends the tokens already issued (api/tenancy/access.ts).
 */
import { errors, jwtVerify, SignJWT } from 'jose';

const AUDIENCE = 'customer-api';

export interface TokenSettings {
  secret: string;
  issuer: string;
  ttlSeconds: number;
}

export interface AccessClaims {
  tenantId: string;
  clientId: string;
  /** The client's secret version at issue. Tokens from before versions existed carry none and count as 1. */
  secretVersion: number;
}

export function createTokenService({ secret, issuer, ttlSeconds }: TokenSettings) {
  const key = new TextEncoder().encode(secret);
  return {
    ttlSeconds,
    async issue({ tenantId, clientId, secretVersion }: AccessClaims): Promise<string> {
      return new SignJWT({ tid: tenantId, ver: secretVersion })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(clientId)
        .setIssuer(issuer)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key);
    },
    /** The token's claims, or undefined when it is malformed, forged, expired or for another audience. */
    async verify(token: string): Promise<AccessClaims | undefined> {
      try {
        const { payload } = await jwtVerify(token, key, { issuer, audience: AUDIENCE, algorithms: ['HS256'] });
        if (typeof payload.tid !== 'string' || typeof payload.sub !== 'string') return undefined;
        const version = payload.ver ?? 1;
        if (!Number.isSafeInteger(version)) return undefined;
        return { tenantId: payload.tid, clientId: payload.sub, secretVersion: version as number };
      } catch (error) {
        if (error instanceof errors.JOSEError) return undefined;
        throw error;
      }
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
