/**
 * Access tokens of the staff identity provider (the one the Temporal Web UI signs people in with), for /codec.
 * A token is accepted when the provider signed it (keys from its JWKS, asymmetric algorithms only), it names the
 * configured issuer and audience, it has not expired, and, if configured, a claim grants the required value.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { RequestHandler } from 'express';
import { ForbiddenError, ServiceUnavailableError, UnauthorizedError } from '../http/errors';
import { bearerToken } from './guards';

export interface OidcSettings {
  issuer: string;
  audience: string;
  /** The provider's JWKS; unset: the `jwks_uri` of `{issuer}/.well-known/openid-configuration`. */
  jwksUrl?: string;
  /** A claim (dotted path for nested ones, e.g. realm_access.roles) that must contain `requiredValue`. */
  requiredClaim?: string;
  requiredValue?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** The `sub` of a verified staff token, for the audit line of who decoded what. */
    staffSubject?: string;
  }
}

// An HMAC algorithm would let whoever knows a shared secret mint tokens; identity providers sign asymmetrically.
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Clocks of the provider and this host drift a little; a token is still refused 30 s after its `exp`. */
const CLOCK_TOLERANCE_SECONDS = 30;
const DISCOVERY_TIMEOUT_MS = 5_000;
/** The provider could not be asked (unreachable, slow, or it answered something other than a key set). */
const PROVIDER_FAULTS = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JOSE_GENERIC', 'ERR_JWKS_INVALID']);

/**
 * Verifies an access token of the provider and answers its claims; a bad token is a 401, a provider that cannot
 * be asked for its keys a 503. Shared by the /codec guard and the OIDC staff authenticator.
 */
export function providerTokenVerifier(settings: Pick<OidcSettings, 'issuer' | 'audience' | 'jwksUrl'>): (token: string) => Promise<JWTPayload> {
  const keys = lazyKeySet(settings);
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, await keys(), {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp'],
      });
      return payload;
    } catch (error) {
      if (error instanceof errors.JOSEError && !PROVIDER_FAULTS.has(error.code)) throw new UnauthorizedError('Invalid or expired staff access token');
      if (error instanceof ServiceUnavailableError) throw error;
      throw new ServiceUnavailableError('The identity provider could not be reached to verify the token');
    }
  };
}

export function requireStaffToken(settings: OidcSettings): RequestHandler {
  const verify = providerTokenVerifier(settings);
  return async (req, _res, next) => {
    const token = bearerToken(req);
    if (!token) throw new UnauthorizedError('Missing staff access token');
    const payload = await verify(token);
    if (settings.requiredClaim && !claimGrants(payload, settings.requiredClaim, settings.requiredValue ?? '')) {
      throw new ForbiddenError(`The access token does not grant ${settings.requiredClaim}=${settings.requiredValue}`);
    }
    req.staffSubject = typeof payload.sub === 'string' ? payload.sub : undefined;
    next();
  };
}

/** The value at a claim's dotted path (realm_access.roles), or undefined. */
export function claimAt(payload: JWTPayload, path: string): unknown {
  let claim: unknown = payload;
  for (const key of path.split('.')) claim = claim !== null && typeof claim === 'object' ? (claim as Record<string, unknown>)[key] : undefined;
  return claim;
}

/** A claim grants a value when it is that value, a list holding it, or a space-separated list holding it (scope). */
function claimGrants(payload: JWTPayload, path: string, value: string): boolean {
  const claim = claimAt(payload, path);
  if (Array.isArray(claim)) return claim.includes(value);
  return typeof claim === 'string' && claim.split(' ').includes(value);
}

/** The JWKS resolver, created on first use: discovery asks the provider, which need not be up when the API starts. */
function lazyKeySet(settings: Pick<OidcSettings, 'issuer' | 'jwksUrl'>) {
  let keySet: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  return () => {
    keySet ??= jwksUrlOf(settings).then((url) => createRemoteJWKSet(new URL(url)));
    // A failed discovery is asked again by the next request rather than remembered.
    keySet.catch(() => (keySet = undefined));
    return keySet;
  };
}

async function jwksUrlOf({ issuer, jwksUrl }: Pick<OidcSettings, 'issuer' | 'jwksUrl'>): Promise<string> {
  if (jwksUrl) return jwksUrl;
  const discovery = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const unavailable = () => new ServiceUnavailableError('The identity provider could not be reached to verify the token');
  const response = await fetch(discovery, { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS), redirect: 'error' }).catch(() => {
    throw unavailable();
  });
  const metadata = (await response.json().catch(() => undefined)) as { issuer?: unknown; jwks_uri?: unknown } | undefined;
  // OpenID Connect Discovery §4.3: the document must name the issuer it was fetched for.
  if (!response.ok || metadata?.issuer !== issuer || typeof metadata.jwks_uri !== 'string') throw unavailable();
  return metadata.jwks_uri;
}
