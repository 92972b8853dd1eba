/**
 * What the enrolment page shows of the API's answer: the secret an otpauth:// URI carries (for typing into an
 * authenticator by hand), grouped in fours as authenticator apps accept it, and the QR code only in the form the
 * page's CSP allows and the API documents (a PNG data: URL).
 */

/** The base32 secret of an otpauth:// URI, or null when the URI carries none. */
export function secretOf(otpauthUri: string): string | null {
  try {
    const url = new URL(otpauthUri);
    if (url.protocol !== 'otpauth:') return null;
    const secret = url.searchParams.get('secret');
    return secret && /^[A-Z2-7]+=*$/i.test(secret) ? secret.toUpperCase() : null;
  } catch {
    return null;
  }
}

/** "ABCDEFGH…" as "ABCD EFGH …", easier to copy by eye. */
export const groupedInFours = (secret: string) => secret.replace(/=+$/, '').match(/.{1,4}/g)?.join(' ') ?? secret;

/** The QR code as an <img> source: a base64 PNG data URL only (the CSP's img-src allows data:), anything else null. */
export const qrSourceOf = (qrCode: string) => (/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/.test(qrCode) ? qrCode : null);
