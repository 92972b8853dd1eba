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
 * { checkId, reference, status, reason? } to `callbackUrl` (else `webhookUrl`), signed (see callbacks.ts).
 * The outcome is chosen by the last name (see outcomes.ts). With a `stateFile`, checks and the callbacks still
 * owed survive a restart: a sandbox started on the same file delivers them when they fall due.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { createCallbackSender } from './callbacks';
import { describe, HttpProblem, readJson, sendJson, urlHost } from './http';
import { checkRequestSchema, fingerprintOf, outcomeFor } from './outcomes';
import { CheckStore, type Check } from './store';

export { MAGIC_LAST_NAMES, type KycSandboxStatus } from './outcomes';

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
  /** Keeps checks and owed callbacks across restarts (JSON, no personal data); in memory only when absent. */
  stateFile?: string;
  /** Dropped callbacks and unexpected errors; never carries personal data. */
  log?: (message: string) => void;
}

export interface RunningKycSandbox {
  url: string;
  stop(): Promise<void>;
}

/** How long a vendor "thinks" before deciding: long enough that a submit always answers PENDING. */
const DECISION_DELAY_MS = 50;

export async function startKycSandbox({
  port,
  host = '127.0.0.1',
  webhookUrl,
  webhookSecret,
  slowDelayMs = 3000,
  flakyFailures = 2,
  callbackRetryDelaysMs = [200, 1000, 5000],
  callbackTimeoutMs = 5000,
  stateFile,
  log = () => undefined,
}: KycSandboxOptions): Promise<RunningKycSandbox> {
  const signer = new Webhook(webhookSecret); // throws now on a malformed secret, not on the first callback
  const store = new CheckStore(stateFile);
  // Aborting it cancels every pending decision, callback wait and callback request at once.
  const stopping = new AbortController();
  const deliver = createCallbackSender({
    signer,
    retryDelaysMs: callbackRetryDelaysMs,
    timeoutMs: callbackTimeoutMs,
    signal: stopping.signal,
    log,
  });

  function submit(body: unknown): { status: number; body: unknown } {
    const parsed = checkRequestSchema.safeParse(body);
    if (!parsed.success) {
      const details = parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message }));
      throw new HttpProblem(400, 'VALIDATION_ERROR', 'Invalid check request', details);
    }
    const request = parsed.data;
    const existing = store.byReference(request.reference);
    if (existing) {
      if (existing.fingerprint !== fingerprintOf(request)) {
        throw new HttpProblem(409, 'REFERENCE_CONFLICT', 'This reference already names a check for other person data');
      }
      return { status: 202, body: { checkId: existing.checkId, status: existing.status } };
    }
    const outcome = outcomeFor(request.lastName);
    if (outcome.flaky) {
      const refused = store.refusedSubmits.get(request.reference) ?? 0;
      if (refused < flakyFailures) {
        store.refusedSubmits.set(request.reference, refused + 1);
        store.save();
        throw new HttpProblem(503, 'TEMPORARILY_UNAVAILABLE', 'The provider is temporarily unavailable, retry later');
      }
    }
    const decidedAt = Date.now() + DECISION_DELAY_MS;
    const check: Check = {
      checkId: `chk_${randomUUID()}`,
      reference: request.reference,
      fingerprint: fingerprintOf(request),
      status: 'PENDING',
    };
    if (outcome.decision !== null) check.pending = { decision: outcome.decision, reason: outcome.reason, at: decidedAt };
    if (outcome.callback !== 'never') {
      const dueAt = decidedAt + (outcome.callback === 'slow' ? slowDelayMs : 0);
      check.callback = { url: request.callbackUrl ?? webhookUrl, dueAt, messageId: `msg_${randomUUID()}` };
    }
    store.add(check);
    store.save();
    void carryOut(check);
    return { status: 202, body: { checkId: check.checkId, status: check.status } };
  }

  /** Decides the check and sends the callback it owes, each when due; picks up where a previous run stopped. */
  async function carryOut(check: Check): Promise<void> {
    try {
      if (check.pending) {
        if (check.pending.at > Date.now()) await sleepUntil(check.pending.at);
        check.status = check.pending.decision;
        check.reason = check.pending.reason;
        delete check.pending;
        store.save();
      }
      if (check.callback) {
        const { url, dueAt, messageId } = check.callback;
        await sleepUntil(dueAt);
        await deliver(url, messageId, JSON.stringify(decisionOf(check)), check.checkId);
        delete check.callback;
        store.save();
      }
    } catch (error) {
      if (!stopping.signal.aborted) log(`kyc-sandbox: deciding ${check.checkId} failed: ${describe(error)}`);
    }
  }

  async function sleepUntil(at: number): Promise<void> {
    await sleep(Math.max(0, at - Date.now()), undefined, { signal: stopping.signal });
  }

  function fetchCheck(checkId: string): { status: number; body: unknown } {
    const check = store.checks.get(checkId);
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

  // Work a previous run left owed (a state file only): decisions and callbacks resume when due.
  for (const check of store.checks.values()) if (check.pending || check.callback) void carryOut(check);
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

function decisionOf(check: Check) {
  return {
    checkId: check.checkId,
    reference: check.reference,
    status: check.status,
    ...(check.reason ? { reason: check.reason } : {}),
  };
}
