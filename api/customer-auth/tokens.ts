/**
 * Customer access tokens: short-lived HS256 JWTs with their own audience, so a customer's token is never taken for
 * a tenant's (and the reverse). They name the tenant, the customer and the session; the session row is checked on
 * every request as well (sessions.ts), so a logout stops a token before it expires.
 */
import { createHash, randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

const AUDIENCE = 'customer-session';

export interface CustomerClaims {
  tenantId: string;
  customerId: string;
  sessionId: string;
}

export function createCustomerTokens({ secret, issuer, ttlSeconds }: { secret: string; issuer: string; ttlSeconds: number }) {
  // Derived, so the tenant tokens' key and this one differ even though both come from JWT_SECRET.
  const key = createHash('sha256').update(`customer-session:${secret}`).digest();
  return {
    ttlSeconds,
    issue({ tenantId, customerId, sessionId }: CustomerClaims): Promise<string> {
      return new SignJWT({ tid: tenantId, sid: sessionId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(customerId)
        .setIssuer(issuer)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key);
    },
    /** The claims, or undefined for a malformed, forged, expired or foreign token. */
    async verify(token: string): Promise<CustomerClaims | undefined> {
      try {
        const { payload } = await jwtVerify(token, key, { issuer, audience: AUDIENCE, algorithms: ['HS256'] });
        const { tid, sid, sub } = payload;
        if (typeof tid !== 'string' || typeof sid !== 'string' || typeof sub !== 'string') return undefined;
        return { tenantId: tid, customerId: sub, sessionId: sid };
      } catch (error) {
        if (error instanceof errors.JOSEError) return undefined;
        throw error;
      }
    },
  };
}

export type CustomerTokens = ReturnType<typeof createCustomerTokens>;

/** An opaque secret (refresh token, 2FA challenge): 256 random bits, shown once, stored as its SHA-256. */
export function newOpaqueToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function opaqueDigest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
