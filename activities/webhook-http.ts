/**
 * One signed POST to a tenant's receiver. The connection goes through the URL guard's lookup, so the address
 * checked is the address connected to; redirects are not followed (a 3xx is a failed attempt, like any non-2xx);
 * the whole exchange up to the response headers is bounded by the timeout, and the response body is never read
 * (the socket is closed once the status is known): a receiver cannot make us buffer or wait on what it sends.
 *
 * The outcome is a status code or one word for what went wrong at the transport level: never an error message,
 * which could quote the receiver's address or our internals into the delivery log the tenant reads.
 */
import http from 'node:http';
import https from 'node:https';
import { BlockedUrlError, checkUrlShape, guardedLookup, type UrlPolicy } from '../api/webhooks/url-guard';

export interface PostOutcome {
  statusCode: number | null;
  /** timeout, refused, unreachable, dns, blocked, tls, reset, network; null when the receiver answered. */
  error: string | null;
  latencyMs: number;
}

export interface SignedPost {
  url: string;
  body: string;
  headers: Record<string, string>;
}

export async function postWebhook(request: SignedPost, policy: UrlPolicy, timeoutMs: number): Promise<PostOutcome> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = checkUrlShape(request.url, policy);
  } catch {
    return { statusCode: null, error: 'blocked', latencyMs: 0 };
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<PostOutcome>((resolve) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        agent: false, // one connection per attempt, closed after it: nothing pooled towards a tenant's host
        lookup: guardedLookup(policy),
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(request.body).toString(),
          'user-agent': 'onboarding-webhooks/1',
          ...request.headers,
        },
      },
      (res) => {
        resolve({ statusCode: res.statusCode ?? null, error: null, latencyMs: latency() });
        res.destroy();
      },
    );
    req.on('error', (error) => resolve({ statusCode: null, error: transportWord(error), latencyMs: latency() }));
    req.end(request.body);
  });
}

function transportWord(error: unknown): string {
  if (error instanceof BlockedUrlError) return 'blocked';
  const code = (error as { code?: unknown; name?: unknown })?.code;
  const name = (error as { name?: unknown })?.name;
  if (name === 'AbortError' || name === 'TimeoutError' || code === 'ABORT_ERR' || code === 'ETIMEDOUT') return 'timeout';
  switch (code) {
    case 'EBLOCKED':
      return 'blocked';
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'unreachable';
    default:
      return typeof code === 'string' && (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('ERR_SSL')) ? 'tls' : 'network';
  }
}
