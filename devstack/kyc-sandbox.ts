/**
 * A stand-in KYC vendor for development and tests. It is a separate HTTP service with a vendor-shaped API, so the
 * product's KYC activity talks to it exactly as it would to a real provider: submit a check, get a decision later
 * through a signed callback, or poll for it.
 *
 *   POST /v1/checks { reference, firstName, lastName, dateOfBirth?, country?, callbackUrl? }
 *        → 202 { checkId, status }. Idempotent on `reference`: a resubmit answers the same check (and its current
 *          status), so a retried activity never opens a second check; different person data under a known
 *          reference is a 409.
 *   GET  /v1/checks/{checkId} → 200 { checkId, reference, status, reason? } · 404 when unknown
 *
 * A check is decided about 50 ms after it is accepted; the decision is then POSTed as
 * { checkId, reference, status, reason? } to `callbackUrl` (else `webhookUrl`), signed with the Standard Webhooks
 * scheme (webhook-id / webhook-timestamp / webhook-signature headers). A callback answered with 5xx or 429, or not
 * answered at all, is retried a few times with growing delays under the same webhook-id, then dropped.
 *
 * The outcome is chosen by the last name (case-insensitive), so every path of the product can be driven on purpose:
 *   Reject → REJECTED · Review → REVIEW (manual review) · Slow → APPROVED, callback only after slowDelayMs ·
 *   Flaky → the first flakyFailures submits of a reference answer 503, then APPROVED ·
 *   Silent → accepted, never decided, no callback · anyone else → APPROVED with a prompt callback.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';

/** The documented magic last names (matched case-insensitively) and what each makes the sandbox do. */
export const MAGIC_LAST_NAMES = {
  Reject: 'REJECTED (reason IDENTITY_NOT_VERIFIED); callback sent promptly',
  Review: 'REVIEW, manual review needed (reason POSSIBLE_WATCHLIST_MATCH); callback sent promptly',
  Slow: 'APPROVED promptly (visible on GET), but the callback is sent only after slowDelayMs',
  Flaky: 'POST /v1/checks answers 503 for the first flakyFailures attempts of a reference, then accepts; APPROVED',
  Silent: 'accepted but never decided: stays PENDING on GET and no callback is ever sent',
} as const;

export type KycSandboxStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'REVIEW';

export interface KycSandboxOptions {
  port: number;
  host?: string;
  /** Where decisions are POSTed when a check names no callbackUrl of its own. */
  webhookUrl: string;
  /** Standard Webhooks secret, `whsec_<base64>`. */
  webhookSecret: string;
  slowDelayMs?: number;
  flakyFailures?: number;
  /** Waits between callback attempts; its length bounds the retries. */
  callbackRetryDelaysMs?: number[];
  /** Per callback attempt: a receiver that hangs counts as unreachable. */
  callbackTimeoutMs?: number;
  /** Dropped callbacks and unexpected errors; never carries personal data. */
  log?: (message: string) => void;
}

export interface RunningKycSandbox {
  url: string;
  stop(): Promise<void>;
}

interface Outcome {
  /** null: never decided (Silent). */
  decision: Exclude<KycSandboxStatus, 'PENDING'> | null;
  reason?: string;
  callback: 'prompt' | 'slow' | 'never';
  flaky: boolean;
}

const OUTCOMES: Record<keyof typeof MAGIC_LAST_NAMES, Outcome> = {
  Reject: { decision: 'REJECTED', reason: 'IDENTITY_NOT_VERIFIED', callback: 'prompt', flaky: false },
  Review: { decision: 'REVIEW', reason: 'POSSIBLE_WATCHLIST_MATCH', callback: 'prompt', flaky: false },
  Slow: { decision: 'APPROVED', callback: 'slow', flaky: false },
  Flaky: { decision: 'APPROVED', callback: 'prompt', flaky: true },
  Silent: { decision: null, callback: 'never', flaky: false },
};
const DEFAULT_OUTCOME: Outcome = { decision: 'APPROVED', callback: 'prompt', flaky: false };

function outcomeFor(lastName: string): Outcome {
  const magic = (Object.keys(OUTCOMES) as Array<keyof typeof OUTCOMES>).find(
    (name) => name.toLowerCase() === lastName.trim().toLowerCase(),
  );
  return magic ? OUTCOMES[magic] : DEFAULT_OUTCOME;
}

/** How long a vendor "thinks" before deciding: long enough that a submit always answers PENDING. */
const DECISION_DELAY_MS = 50;
const MAX_BODY_BYTES = 16 * 1024;

const checkRequestSchema = z.object({
  reference: z.string().trim().min(1).max(128),
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  dateOfBirth: z.iso.date('Must be a date, YYYY-MM-DD').optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'Must be an ISO 3166-1 alpha-2 code').optional(),
  callbackUrl: z.url({ protocol: /^https?$/, error: 'Must be an http(s) URL' }).optional(),
});
type CheckRequest = z.output<typeof checkRequestSchema>;

interface Check {
  checkId: string;
  reference: string;
  /** The person data the check was opened with, to tell a retried submit from a clashing one. */
  fingerprint: string;
  status: KycSandboxStatus;
  reason?: string;
}

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Array<{ field: string; message: string }>,
  ) {
    super(message);
  }
}

export async function startKycSandbox({
  port,
  host = '127.0.0.1',
  webhookUrl,
  webhookSecret,
  slowDelayMs = 3000,
  flakyFailures = 2,
  callbackRetryDelaysMs = [200, 1000, 5000],
  callbackTimeoutMs = 5000,
  log = () => undefined,
}: KycSandboxOptions): Promise<RunningKycSandbox> {
  const signer = new Webhook(webhookSecret); // throws now on a malformed secret, not on the first callback
  const checks = new Map<string, Check>();
  const checkIdByReference = new Map<string, string>();
  const refusedSubmits = new Map<string, number>();
  // Aborting it cancels every pending decision, callback wait and callback request at once.
  const stopping = new AbortController();

  function submit(body: unknown): { status: number; body: unknown } {
    const parsed = checkRequestSchema.safeParse(body);
    if (!parsed.success) {
      const details = parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message }));
      throw new HttpProblem(400, 'VALIDATION_ERROR', 'Invalid check request', details);
    }
    const request = parsed.data;
    const existing = checks.get(checkIdByReference.get(request.reference) ?? '');
    if (existing) {
      if (existing.fingerprint !== fingerprintOf(request)) {
        throw new HttpProblem(409, 'REFERENCE_CONFLICT', 'This reference already names a check for other person data');
      }
      return { status: 202, body: { checkId: existing.checkId, status: existing.status } };
    }
    const outcome = outcomeFor(request.lastName);
    if (outcome.flaky) {
      const refused = refusedSubmits.get(request.reference) ?? 0;
      if (refused < flakyFailures) {
        refusedSubmits.set(request.reference, refused + 1);
        throw new HttpProblem(503, 'TEMPORARILY_UNAVAILABLE', 'The provider is temporarily unavailable, retry later');
      }
    }
    const check: Check = {
      checkId: `chk_${randomUUID()}`,
      reference: request.reference,
      fingerprint: fingerprintOf(request),
      status: 'PENDING',
    };
    checks.set(check.checkId, check);
    checkIdByReference.set(check.reference, check.checkId);
    void decideLater(check, outcome, request.callbackUrl ?? webhookUrl);
    return { status: 202, body: { checkId: check.checkId, status: check.status } };
  }

  async function decideLater(check: Check, outcome: Outcome, callbackUrl: string): Promise<void> {
    try {
      if (outcome.decision === null) return;
      await sleep(DECISION_DELAY_MS, undefined, { signal: stopping.signal });
      check.status = outcome.decision;
      check.reason = outcome.reason;
      if (outcome.callback === 'never') return;
      if (outcome.callback === 'slow') await sleep(slowDelayMs, undefined, { signal: stopping.signal });
      await deliverCallback(check, callbackUrl);
    } catch (error) {
      if (!stopping.signal.aborted) log(`kyc-sandbox: deciding ${check.checkId} failed: ${describe(error)}`);
    }
  }

  /** At-least-once with bounded retries; every attempt carries the same webhook-id so receivers can deduplicate. */
  async function deliverCallback(check: Check, url: string): Promise<void> {
    const payload = JSON.stringify(decisionOf(check));
    const messageId = `msg_${randomUUID()}`;
    for (let attempt = 0; ; attempt++) {
      const verdict = await postCallback(url, messageId, payload);
      if (verdict === 'delivered') return;
      if (verdict === 'refused' || attempt >= callbackRetryDelaysMs.length) {
        log(`kyc-sandbox: callback for ${check.checkId} dropped after ${attempt + 1} attempt(s) (${verdict})`);
        return;
      }
      await sleep(callbackRetryDelaysMs[attempt], undefined, { signal: stopping.signal });
    }
  }

  async function postCallback(url: string, messageId: string, payload: string): Promise<'delivered' | 'retry' | 'refused'> {
    const sentAt = new Date(); // signed per attempt: a stale timestamp would be refused as a replay
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': messageId,
          'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
          'webhook-signature': signer.sign(messageId, sentAt, payload),
        },
        body: payload,
        signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(callbackTimeoutMs)]),
      });
      await response.body?.cancel();
      if (response.ok) return 'delivered';
      return response.status >= 500 || response.status === 429 ? 'retry' : 'refused';
    } catch (error) {
      if (stopping.signal.aborted) throw error;
      return 'retry'; // unreachable, reset or timed out
    }
  }

  function fetchCheck(checkId: string): { status: number; body: unknown } {
    const check = checks.get(checkId);
    if (!check) throw new HttpProblem(404, 'NOT_FOUND', 'No such check');
    return { status: 200, body: decisionOf(check) };
  }

  async function route(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const { pathname } = new URL(req.url ?? '/', 'http://sandbox');
    if (pathname === '/v1/checks') {
      if (req.method !== 'POST') throw new HttpProblem(405, 'METHOD_NOT_ALLOWED', 'Use POST');
      return submit(await readJson(req));
    }
    const match = /^\/v1\/checks\/([^/]+)$/.exec(pathname);
    if (match) {
      if (req.method !== 'GET') throw new HttpProblem(405, 'METHOD_NOT_ALLOWED', 'Use GET');
      return fetchCheck(decodeURIComponent(match[1]));
    }
    throw new HttpProblem(404, 'NOT_FOUND', 'No such route');
  }

  const server = createServer((req, res) => {
    route(req).then(
      (answer) => sendJson(res, answer.status, answer.body),
      (error: unknown) => {
        if (error instanceof HttpProblem) {
          const { status, code, message, details } = error;
          sendJson(res, status, { error: code, message, ...(details ? { details } : {}) }, status === 503 ? { 'retry-after': '1' } : {});
        } else {
          log(`kyc-sandbox: request failed: ${describe(error)}`);
          sendJson(res, 500, { error: 'INTERNAL_ERROR', message: 'Unexpected error' });
        }
      },
    ).catch((error: unknown) => log(`kyc-sandbox: answering failed: ${describe(error)}`));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log(`kyc-sandbox: server error: ${describe(error)}`));

  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${urlHost(host)}:${bound}`,
    async stop() {
      stopping.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // keep-alive sockets of HTTP clients would hold close() open otherwise
      });
    },
  };
}

function decisionOf(check: Check): { checkId: string; reference: string; status: KycSandboxStatus; reason?: string } {
  return {
    checkId: check.checkId,
    reference: check.reference,
    status: check.status,
    ...(check.reason ? { reason: check.reason } : {}),
  };
}

function fingerprintOf(request: CheckRequest): string {
  return JSON.stringify([request.firstName, request.lastName, request.dateOfBirth ?? null, request.country ?? null]);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpProblem(413, 'PAYLOAD_TOO_LARGE', `Body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpProblem(400, 'VALIDATION_ERROR', 'Body must be valid JSON');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
