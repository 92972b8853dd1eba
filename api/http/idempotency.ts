/**
 * The route layer's side of Idempotency-Key: reads and checks the header, fingerprints the request, and wraps a
 * handler so its answer is stored for replay. Which answers are stored:
 * - 2xx and 4xx answers of the handler (Stripe's rule: the request ran, and running it again would not change
 *   what it says), except 408 and 429, which ask the client to retry;
 * - never 5xx (an outage or a bug: the work may not have happened, so the key is released for a retry), and never
 *   the 400 of a request that failed validation, which is refused before the key is claimed.
 */
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { z } from './openapi';
import { ApiError, ValidationError } from './errors';
import { PLATFORM_SCOPE, type IdempotencyScope, type IdempotencyService, type StoredAnswer } from './idempotency-store';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
const KEY_FORMAT = /^[\x20-\x7e]{1,255}$/;

export const idempotencyHeaders = z.object({
  [IDEMPOTENCY_HEADER]: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .openapi({
      description:
        'Makes a retry safe: the same key with the same request within 24 h answers what the first request got ' +
        `(with \`${REPLAYED_HEADER}: true\`) without doing the work again. 1-255 printable ASCII characters; ` +
        'a key used for another request is 422 IDEMPOTENCY_KEY_REUSED, one whose first request is still running ' +
        '409 IDEMPOTENCY_KEY_IN_USE.',
      example: '6f1c1a2e-5b8e-4d7a-9c3b-2f0e8d4a7b61',
    }),
});

export const idempotencyResponses = {
  409: 'A request with this Idempotency-Key is still running (IDEMPOTENCY_KEY_IN_USE, with Retry-After)',
  422: 'This Idempotency-Key was used for a different request (IDEMPOTENCY_KEY_REUSED)',
};

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

/** Runs `handle` once per Idempotency-Key; without the header, just runs it. */
export async function idempotently(service: IdempotencyService, req: Request, handle: () => Promise<Answer>): Promise<Answer> {
  const key = req.get(IDEMPOTENCY_HEADER);
  if (key === undefined) return handle();
  if (!KEY_FORMAT.test(key)) {
    throw new ValidationError([{ field: IDEMPOTENCY_HEADER, message: 'Must be 1 to 255 printable ASCII characters' }]);
  }
  const scope: IdempotencyScope = { tenantId: req.tenantId ?? PLATFORM_SCOPE, credentialId: credentialOf(req), key };
  const claim = await service.claim(scope, fingerprint(req));
  if (claim.replay) return { ...claim.answer, headers: { ...claim.answer.headers, [REPLAYED_HEADER]: 'true' } };

  let answer: Answer;
  try {
    answer = await handle();
  } catch (error) {
    const stored = error instanceof ApiError ? { status: error.status, body: error.body(), headers: error.headers } : undefined;
    await service.finish(scope, claim.token, stored && isReplayable(stored.status) ? stored : undefined);
    throw error;
  }
  const stored: StoredAnswer = { status: answer.status, body: answer.body, headers: answer.headers ?? {} };
  await service.finish(scope, claim.token, isReplayable(answer.status) ? stored : undefined);
  return answer;
}

function isReplayable(status: number): boolean {
  return status < 500 && status !== 408 && status !== 429;
}

function credentialOf(req: Request): string {
  if (!req.credentialId) throw new Error('Idempotency-Key on a route whose guard names no credential');
  return req.credentialId;
}

/** Method, path and a digest of the body with its keys sorted, so key order and spacing do not matter. */
function fingerprint(req: Request): string {
  const digest = createHash('sha256').update(canonicalJson(req.body ?? {})).digest('base64url');
  return `${req.method} ${req.baseUrl}${req.path} ${digest}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
