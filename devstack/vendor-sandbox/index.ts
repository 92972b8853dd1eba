/**
 * The machinery every sandbox vendor shares: a check API idempotent on the caller's `reference`, decisions taken
 * about 50 ms after a submit and POSTed as signed callbacks (callbacks.ts), polls, Flaky refusals, and a state
 * file that carries checks and owed callbacks across a restart (store.ts). A sandbox (kyc-sandbox/,
 * kyb-sandbox/) names its check routes, request schema, outcomes and any routes of its own:
 *
 *   POST {checksPath} → 202 { checkId, status } · 409 REFERENCE_CONFLICT for other data under a known reference
 *   GET  {checksPath}/{checkId} → 200 { checkId, reference, status, reason? } · 404 when unknown
 *   POST {checksPath}/{checkId}/decision { status: APPROVED | REJECTED | REVIEW, reason? } → 202: a sandbox-only
 *        control (the product's sandbox outcome routes use it): decides a still PENDING check now, whatever its
 *        magic word said, and sends the callback promptly · 409 NOT_PENDING once it is decided · 404 when unknown
 *
 * Callbacks carry the same body as the poll and go to the check's `callbackUrl`, else `webhookUrl`.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import { createCallbackSender } from './callbacks';
import { describe, HttpProblem, valid } from './http';
import type { Outcome } from './outcomes';
import { serveJsonRoutes, type JsonAnswer, type JsonRoute } from './server';
import { CheckStore, type Check } from './store';

export interface VendorSandboxOptions {
  port: number;
  host?: string;
  /** Where decisions are POSTed when a check names no callbackUrl of its own. */
  webhookUrl: string;
  /** Standard Webhooks secret, `whsec_<base64>`. */
  webhookSecret: string;
  slowDelayMs?: number;
  /** How many times a Flaky request is answered 503 before it succeeds. */
  flakyFailures?: number;
  /** Waits between callback attempts; its length bounds the retries. */
  callbackRetryDelaysMs?: number[];
  /** Per callback attempt: a receiver that hangs counts as unreachable. */
  callbackTimeoutMs?: number;
  /** Keeps checks and owed callbacks across restarts (JSON, digests and ids only); in memory only when absent. */
  stateFile?: string;
  /** Dropped callbacks and unexpected errors; never carries the checked person's or company's data. */
  log?: (message: string) => void;
}

export interface RunningVendorSandbox {
  url: string;
  stop(): Promise<void>;
}

export interface VendorDefinition<Request extends { reference: string; callbackUrl?: string }> {
  /** Names the sandbox in log lines, e.g. "kyc-sandbox". */
  name: string;
  /** e.g. `/v1/checks`. */
  checksPath: string;
  checkIdPrefix: string;
  checkRequestSchema: z.ZodType<Request>;
  /** Tells a retried submit from a clashing one; a digest, so the state file holds none of the checked data. */
  fingerprintOf(request: Request): string;
  outcomeFor(request: Request): Outcome;
  /** The 409's message for other data under a known reference. */
  conflictMessage: string;
  /** The vendor's own further routes; `refuseWhileFlaky` counts in the same state file as Flaky submits. */
  moreRoutes?(vendor: { refuseWhileFlaky(key: string): void }): JsonRoute[];
}

/** How long a vendor "thinks" before deciding: long enough that a submit always answers PENDING. */
const DECISION_DELAY_MS = 50;

export async function startVendorSandbox<Request extends { reference: string; callbackUrl?: string }>(
  vendor: VendorDefinition<Request>,
  {
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
  }: VendorSandboxOptions,
): Promise<RunningVendorSandbox> {
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
    logPrefix: vendor.name,
  });

  /** Flaky requests under `key` answer 503 until they have been refused `flakyFailures` times. */
  function refuseWhileFlaky(key: string): void {
    const refused = store.refusedSubmits.get(key) ?? 0;
    if (refused >= flakyFailures) return;
    store.refusedSubmits.set(key, refused + 1);
    store.save();
    throw new HttpProblem(503, 'TEMPORARILY_UNAVAILABLE', 'The provider is temporarily unavailable, retry later');
  }

  function submit(body: unknown): JsonAnswer {
    const request = valid(vendor.checkRequestSchema, body, 'Invalid check request');
    const existing = store.byReference(request.reference);
    if (existing) {
      if (existing.fingerprint !== vendor.fingerprintOf(request)) throw new HttpProblem(409, 'REFERENCE_CONFLICT', vendor.conflictMessage);
      return { status: 202, body: { checkId: existing.checkId, status: existing.status } };
    }
    const outcome = vendor.outcomeFor(request);
    if (outcome.flaky) refuseWhileFlaky(request.reference);
    const decidedAt = Date.now() + DECISION_DELAY_MS;
    const check: Check = {
      checkId: `${vendor.checkIdPrefix}${randomUUID()}`,
      reference: request.reference,
      fingerprint: vendor.fingerprintOf(request),
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
      if (!stopping.signal.aborted) log(`${vendor.name}: deciding ${check.checkId} failed: ${describe(error)}`);
    }
  }

  async function sleepUntil(at: number): Promise<void> {
    await sleep(Math.max(0, at - Date.now()), undefined, { signal: stopping.signal });
  }

  /** Overrides the outcome of a check not yet decided (a Silent one waits forever otherwise); the callback goes now. */
  function decideNow(checkId: string, body: unknown): JsonAnswer {
    const check = store.checks.get(checkId);
    if (!check) throw new HttpProblem(404, 'NOT_FOUND', 'No such check');
    if (check.status !== 'PENDING') throw new HttpProblem(409, 'NOT_PENDING', `The check is already ${check.status}`);
    const { status, reason } = valid(forcedDecisionSchema, body, 'Invalid decision');
    const now = Date.now();
    // A check already on its way to a decision is carried out by the run that owns it: only what it decides changes.
    const running = check.pending !== undefined;
    check.pending = { decision: status, reason, at: now };
    check.callback = { url: check.callback?.url ?? webhookUrl, dueAt: now, messageId: check.callback?.messageId ?? `msg_${randomUUID()}` };
    store.save();
    if (!running) void carryOut(check);
    return { status: 202, body: { checkId, status: 'PENDING' } };
  }

  function fetchCheck(checkId: string): JsonAnswer {
    const check = store.checks.get(checkId);
    if (!check) throw new HttpProblem(404, 'NOT_FOUND', 'No such check');
    return { status: 200, body: decisionOf(check) };
  }

  const routes: JsonRoute[] = [
    { method: 'POST', path: vendor.checksPath, handle: async (request) => submit(await request.body()) },
    { method: 'GET', path: `${vendor.checksPath}/:checkId`, handle: ({ params }) => fetchCheck(params.checkId) },
    { method: 'POST', path: `${vendor.checksPath}/:checkId/decision`, handle: async ({ params, body }) => decideNow(params.checkId, await body()) },
    ...(vendor.moreRoutes?.({ refuseWhileFlaky }) ?? []),
  ];

  // Work a previous run left owed (a state file only): decisions and callbacks resume when due.
  for (const check of store.checks.values()) if (check.pending || check.callback) void carryOut(check);
  const server = await serveJsonRoutes({ name: vendor.name, port, host, routes, log });
  return {
    url: server.url,
    async stop() {
      stopping.abort();
      await server.close();
    },
  };
}

const forcedDecisionSchema = z.object({ status: z.enum(['APPROVED', 'REJECTED', 'REVIEW']), reason: z.string().max(200).optional() });

function decisionOf(check: Check) {
  return { checkId: check.checkId, reference: check.reference, status: check.status, ...(check.reason ? { reason: check.reason } : {}) };
}
