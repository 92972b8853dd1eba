/**
 * Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s — what every authenticator app reads) and
 * recovery codes, shared by staff and customer 2FA. A code is accepted one step either side of now, and only for
 * a step later than the last one accepted, so a code seen once cannot be replayed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { toDataURL } from 'qrcode';

const PERIOD_SECONDS = 30;
const WINDOW_STEPS = 1;

export interface TotpEnrolment {
  /** Base32 secret: store it encrypted; show it once. */
  secret: string;
  /** The otpauth:// URI an authenticator app imports. */
  uri: string;
  /** The same URI as a PNG data URL, for a QR code. */
  qrCode: string;
}

function totpOf(secret: string, label = 'account', issuer = 'Onboarding'): TOTP {
  return new TOTP({ issuer, label, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS });
}

export async function newTotpEnrolment(label: string, issuer: string): Promise<TotpEnrolment> {
  const secret = new Secret({ size: 20 }).base32;
  const uri = totpOf(secret, label, issuer).toString();
  return { secret, uri, qrCode: await toDataURL(uri) };
}

/**
 * The time step a code matches, or undefined. Pass the last accepted step: a match at or before it is a replay and
 * is refused. Store the returned step as the new last accepted one.
 */
export function acceptedTotpStep(secret: string, code: string, lastAcceptedStep: number | null, now = Date.now()): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totpOf(secret).validate({ token: code, timestamp: now, window: WINDOW_STEPS });
  if (delta === null) return undefined;
  const step = Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
  return lastAcceptedStep !== null && step <= lastAcceptedStep ? undefined : step;
}

/** The code an authenticator shows now (tests and the sandbox). */
export function currentTotp(secret: string, now = Date.now()): string {
  return totpOf(secret).generate({ timestamp: now });
}

/** Ten single-use recovery codes (80 bits each) and their digests; only digests are stored. */
export function newRecoveryCodes(count = 10): { codes: string[]; digests: string[] } {
  const codes = Array.from({ length: count }, () => {
    const hex = randomBytes(10).toString('hex');
    return `${hex.slice(0, 5)}-${hex.slice(5, 10)}-${hex.slice(10, 15)}-${hex.slice(15)}`;
  });
  return { codes, digests: codes.map(recoveryCodeDigest) };
}

/** Recovery codes carry 80 random bits, so a plain SHA-256 is enough (as for client secrets). */
export function recoveryCodeDigest(code: string): string {
  return createHash('sha256').update(code.trim().toLowerCase()).digest('base64url');
}
