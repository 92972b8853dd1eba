/**
 * Trust nothing in a provider's callback until its signature checks out. Callbacks follow Standard Webhooks: an
 * HMAC-SHA256 over `webhook-id.webhook-timestamp.body`, with timestamps older or newer than five minutes refused so
 * a captured request cannot be replayed later. The route must pass the body exactly as received (the app keeps it
 * as `req.rawBody`): re-serialised JSON would not match the signature. Shared by the KYC and KYB callbacks.
 */
import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { z } from 'zod';
import { ApiError, ValidationError } from '../http/errors';

declare module 'express-serve-static-core' {
  interface Request {
    rawBody?: Buffer;
  }
}

/** A missing, forged or stale signature; `reason` is for the log, the caller only learns that it failed. */
export class InvalidWebhookSignatureError extends ApiError {
  constructor(readonly reason: string) {
    super(401, 'INVALID_SIGNATURE', 'Webhook signature is missing, invalid or expired');
  }
}

const SIGNATURE_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

/**
 * The verified payload parsed by `schema`, or a thrown InvalidWebhookSignatureError (bad signature) or
 * ValidationError (a signed body outside the schema). Accepts Node's IncomingHttpHeaders as they are.
 */
export function verifySignedWebhook<T extends z.ZodType>(
  secret: string,
  rawBody: string | Buffer,
  headers: Record<string, string | string[] | undefined>,
  schema: T,
): z.output<T> {
  const webhook = new Webhook(secret); // outside the try: a malformed secret is our misconfiguration, a 500
  let body: unknown;
  try {
    body = webhook.verify(rawBody, signatureHeaders(headers));
  } catch (error) {
    if (error instanceof WebhookVerificationError) throw new InvalidWebhookSignatureError(error.message);
    if (error instanceof SyntaxError) throw new ValidationError([{ field: 'body', message: 'Must be valid JSON' }]);
    throw error;
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ValidationError(parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'body', message: issue.message })));
  }
  return parsed.data;
}

/** The bytes as sent; a request without a JSON body carries nothing a signature could cover. */
export function rawBodyOf(req: Request): Buffer {
  return req.rawBody ?? Buffer.alloc(0);
}

/** A fresh signing secret in the Standard Webhooks format: `whsec_` + 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function signatureHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const byLowerName = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return Object.fromEntries(
    SIGNATURE_HEADERS.map((name) => {
      const value = byLowerName.get(name);
      return [name, typeof value === 'string' ? value : ''];
    }),
  );
}
