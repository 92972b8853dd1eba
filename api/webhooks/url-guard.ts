/**
 * Where a tenant's webhook may point. A webhook URL is a request our servers make on a tenant's behalf, so without a
 * guard a tenant could reach the metadata service, the database or anything else on our network (SSRF). Only https
 * to public unicast addresses is allowed, unless development config allows plain http and private addresses.
 *
 * A name is checked on every answer of the DNS lookup, and the sender connects through `guardedLookup`, so the
 * address checked is the address connected to (a name that resolves to a public address at subscription time and
 * to 127.0.0.1 at delivery time is refused then). Redirects are not followed (the sender treats 3xx as a failure).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface UrlPolicy {
  /** Development only: plain http, and loopback/private/link-local addresses. */
  allowPrivate: boolean;
}

/** Why a URL or an address is refused; the message is safe to show the tenant. */
export class BlockedUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlockedUrlError';
  }
}

/** Only plain public unicast: not private, loopback, link-local, CGNAT, multicast, reserved, or a tunnel prefix. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

/** The URL's shape: absolute, https (or http when allowed), no credentials, and a literal address must be allowed. */
export function checkUrlShape(raw: string, policy: UrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BlockedUrlError('Must be an absolute URL');
  }
  const protocols = policy.allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!protocols.includes(url.protocol)) throw new BlockedUrlError(policy.allowPrivate ? 'Must use https or http' : 'Must use https');
  if (url.username || url.password) throw new BlockedUrlError('Must not carry credentials');
  if (url.hash) throw new BlockedUrlError('Must not have a fragment');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !policy.allowPrivate && !isPublicAddress(host)) throw new BlockedUrlError('Must not point to a private, loopback or reserved address');
  if (!isIP(host) && !policy.allowPrivate && (host === 'localhost' || host.endsWith('.localhost') || !host.includes('.'))) {
    throw new BlockedUrlError('Must name a public host');
  }
  return url;
}

/** Every address the host resolves to must be allowed (checked again at each delivery through `guardedLookup`). */
export async function checkUrlResolves(url: URL, policy: UrlPolicy): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) || policy.allowPrivate) return;
  const answers = await new Promise<LookupAddress[]>((resolve, reject) =>
    dnsLookup(host, { all: true }, (error, addresses) => (error ? reject(new BlockedUrlError('Host does not resolve')) : resolve(addresses))),
  );
  if (answers.length === 0 || answers.some((answer) => !isPublicAddress(answer.address))) {
    throw new BlockedUrlError('Host resolves to a private, loopback or reserved address');
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http(s).request/undici that refuses any answer outside the policy, so the checked address is used. */
export function guardedLookup(policy: UrlPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const refused = policy.allowPrivate ? undefined : addresses.find((answer) => !isPublicAddress(answer.address));
      if (refused || addresses.length === 0) {
        return callback(Object.assign(new BlockedUrlError('Host resolves to a private, loopback or reserved address'), { code: 'EBLOCKED' }), '');
      }
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
