/**
 * A stand-in KYB vendor for development and tests: a separate HTTP service with a vendor-shaped API, so the KYB
 * activities talk to it exactly as they would to a real provider.
 *
 *   POST /v1/business-checks { reference, businessName, registrationNumber, country, callbackUrl? }
 *        → 202 { checkId, status }. Idempotent on `reference` (a resubmit answers the same check); other company
 *          data under a known reference is a 409.
 *   GET  /v1/business-checks/{checkId} → 200 { checkId, reference, status, reason? } · 404 when unknown
 *   GET  /v1/registry/companies/{country}/{registrationNumber}?name=… → 200 { registeredName, registrationNumber,
 *        country, status, officers: [{ name, role }] } · 404 when the registry knows no such company
 *
 * Decisions are POSTed, signed (Standard Webhooks), as { checkId, reference, status, reason? } to `callbackUrl`
 * (else `webhookUrl`). Outcomes and registry answers follow magic words in the business name (outcomes.ts). It
 * shares the KYC sandbox's HTTP toolkit, callback sender and state file format; with a `stateFile`, checks and the
 * callbacks still owed survive a restart.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import type { z } from 'zod';
import { createCallbackSender } from '../kyc-sandbox/callbacks';
import { describe, HttpProblem, readJson, sendJson, urlHost } from '../kyc-sandbox/http';
import { CheckStore, type Check } from '../kyc-sandbox/store';
import { checkRequestSchema, fingerprintOf, isFlaky, outcomeFor, registryLookupSchema, registryRecordFor } from './outcomes';

export { MAGIC_BUSINESS_NAMES } from './outcomes';

export interface KybSandboxOptions {
  port: number;
  host?: string;
  /** Where decisions are POSTed when a check names no callbackUrl of its own. */
  webhookUrl: string;
  /** Standard Webhooks secret, `whsec_<base64>`. */
  webhookSecret: string;
  slowDelayMs?: number;
  /** How many submissions of a Flaky check, and lookups of a Flaky company, answer 503 first. */
  flakyFailures?: number;
  callbackRetryDelaysMs?: number[];
  callbackTimeoutMs?: number;
  /** Keeps checks and owed callbacks across restarts (JSON, digests and ids only); in memory only when absent. */
  stateFile?: string;
  /** Dropped callbacks and unexpected errors; never carries the company's data. */
  log?: (message: string) => void;
}

export interface RunningKybSandbox {
  url: string;
  stop(): Promise<void>;
}

/** How long the vendor "thinks" before deciding: long enough that a submit always answers PENDING. */
const DECISION_DELAY_MS = 50;

export async function startKybSandbox({
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
}: KybSandboxOptions): Promise<RunningKybSandbox> {
  const signer = new Webhook(webhookSecret); // throws now on a malformed secret, not on the first callback
  const store = new CheckStore(stateFile);
  const stopping = new AbortController();
  const deliver = createCallbackSender({ signer, retryDelaysMs: callbackRetryDelaysMs, timeoutMs: callbackTimeoutMs, signal: stopping.signal, log, logPrefix: 'kyb-sandbox' });

  /** Flaky requests under `key` answer 503 until they have been refused `flakyFailures` times. */
  function refuseWhileFlaky(key: string): void {
    const refused = store.refusedSubmits.get(key) ?? 0;
    if (refused >= flakyFailures) return;
    store.refusedSubmits.set(key, refused + 1);
    store.save();
    throw new HttpProblem(503, 'TEMPORARILY_UNAVAILABLE', 'The provider is temporarily unavailable, retry later');
  }

  function submit(body: unknown): { status: number; body: unknown } {
    const request = valid(checkRequestSchema, body, 'Invalid check request');
    const existing = store.byReference(request.reference);
    if (existing) {
      if (existing.fingerprint !== fingerprintOf(request)) {
        throw new HttpProblem(409, 'REFERENCE_CONFLICT', 'This reference already names a check for other company data');
      }
      return { status: 202, body: { checkId: existing.checkId, status: existing.status } };
    }
    const outcome = outcomeFor(request.businessName);
    if (outcome.flaky) refuseWhileFlaky(request.reference);
    const decidedAt = Date.now() + DECISION_DELAY_MS;
    const check: Check = { checkId: `kyb_chk_${randomUUID()}`, reference: request.reference, fingerprint: fingerprintOf(request), status: 'PENDING' };
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
      if (!stopping.signal.aborted) log(`kyb-sandbox: deciding ${check.checkId} failed: ${describe(error)}`);
    }
  }

  async function sleepUntil(at: number): Promise<void> {
    await sleep(Math.max(0, at - Date.now()), undefined, { signal: stopping.signal });
  }

  function lookUp(country: string, registrationNumber: string, name: string | null): { status: number; body: unknown } {
    const lookup = valid(registryLookupSchema, { country, registrationNumber, name: name ?? undefined }, 'Invalid registry lookup');
    if (isFlaky(lookup.name)) refuseWhileFlaky(`registry:${lookup.country}/${lookup.registrationNumber}`);
    const record = registryRecordFor(lookup);
    if (!record) throw new HttpProblem(404, 'COMPANY_NOT_FOUND', 'No company under this registration number');
    return { status: 200, body: record };
  }

  async function route(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const { pathname } = url;
    if (pathname === '/v1/business-checks') {
      if (req.method !== 'POST') throw new HttpProblem(405, 'METHOD_NOT_ALLOWED', 'Use POST');
      return submit(await readJson(req));
    }
    const check = /^\/v1\/business-checks\/([^/]+)$/.exec(pathname);
    if (check) {
      if (req.method !== 'GET') throw new HttpProblem(405, 'METHOD_NOT_ALLOWED', 'Use GET');
      const found = store.checks.get(decodeURIComponent(check[1]));
      if (!found) throw new HttpProblem(404, 'NOT_FOUND', 'No such check');
      return { status: 200, body: decisionOf(found) };
    }
    const company = /^\/v1\/registry\/companies\/([^/]+)\/([^/]+)$/.exec(pathname);
    if (company) {
      if (req.method !== 'GET') throw new HttpProblem(405, 'METHOD_NOT_ALLOWED', 'Use GET');
      return lookUp(decodeURIComponent(company[1]), decodeURIComponent(company[2]), url.searchParams.get('name'));
    }
    throw new HttpProblem(404, 'NOT_FOUND', 'No such route');
  }

  const server = createServer((req, res) => {
    route(req)
      .then(
        (answer) => sendJson(res, answer.status, answer.body),
        (error: unknown) => {
          if (error instanceof HttpProblem) {
            const { status, code, message, details } = error;
            sendJson(res, status, { error: code, message, ...(details ? { details } : {}) }, status === 503 ? { 'retry-after': '1' } : {});
          } else {
            log(`kyb-sandbox: request failed: ${describe(error)}`);
            sendJson(res, 500, { error: 'INTERNAL_ERROR', message: 'Unexpected error' });
          }
        },
      )
      .catch((error: unknown) => log(`kyb-sandbox: answering failed: ${describe(error)}`));
  });

  for (const check of store.checks.values()) if (check.pending || check.callback) void carryOut(check);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log(`kyb-sandbox: server error: ${describe(error)}`));

  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${urlHost(host)}:${bound}`,
    async stop() {
      stopping.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function valid<T extends z.ZodType>(schema: T, value: unknown, message: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message }));
  throw new HttpProblem(400, 'VALIDATION_ERROR', message, details);
}

function decisionOf(check: Check) {
  return { checkId: check.checkId, reference: check.reference, status: check.status, ...(check.reason ? { reason: check.reason } : {}) };
}
