/**
 * The API's typed errors. Each carries its HTTP status and documented error code; one middleware renders them as
 * `{ error, message, details? }`. Anything else is an INTERNAL_ERROR whose details stay in the log.
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from '../../common/logger';

export interface FieldIssue {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { error: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) };
  }
}

export class ValidationError extends ApiError {
  constructor(details: FieldIssue[], message = 'Invalid request parameters') {
    super(400, 'VALIDATION_ERROR', message, details);
  }
}

export class UnauthorizedError extends ApiError {
  constructor(message = 'Missing or invalid access token') {
    super(401, 'UNAUTHORIZED', message, undefined, { 'WWW-Authenticate': 'Bearer' });
  }
}

export class ForbiddenError extends ApiError {
  constructor(message: string) {
    super(403, 'FORBIDDEN', message);
  }
}

/**
 * A cookie-authenticated staff request that may be forged by another site: an unsafe method without the session's
 * X-CSRF-Token, or from a foreign Origin. Nothing was read or changed.
 */
export class CsrfRejectedError extends ApiError {
  constructor(message: string) {
    super(403, 'CSRF_REJECTED', message);
  }
}

/** `details` names which of several objects the request named are missing (e.g. ids in a list). */
export class NotFoundError extends ApiError {
  constructor(message = 'Resource not found', details?: FieldIssue[]) {
    super(404, 'NOT_FOUND', message, details);
  }
}

/**
 * The resource the request would create exists already (e.g. an organization with the same registration number),
 * or the request conflicts with its current state; `details` names what it conflicts with.
 */
export class ConflictError extends ApiError {
  constructor(message: string, details?: FieldIssue[]) {
    super(409, 'CONFLICT', message, details);
  }
}

/**
 * A customer's lifecycle status does not allow the change asked for: 409 INVALID_STATE naming the status and, for a
 * BLOCKED customer, whose block it is (TENANT or COMPLIANCE; a compliance block only a compliance officer lifts).
 */
export class CustomerStatusError extends ApiError {
  constructor(message: string, status: string, blockedBy?: string | null) {
    super(409, 'INVALID_STATE', message, [{ field: 'status', message: status }, ...(blockedBy ? [{ field: 'blockedBy', message: blockedBy }] : [])]);
  }
}

/**
 * Another reviewer holds a live claim on the back-office case: 409 CASE_CLAIMED naming who (e-mail and staff id)
 * and until when, so the client can say so and offer the case again once the claim lapses.
 */
export class CaseClaimedError extends ApiError {
  constructor(claim: { staffId: string; staffEmail: string | null; expiresAt: string }) {
    super(409, 'CASE_CLAIMED', 'Another reviewer is working this case', [
      { field: 'claimedBy', message: claim.staffEmail ?? `staff:${claim.staffId}` },
      { field: 'staffId', message: claim.staffId },
      { field: 'expiresAt', message: claim.expiresAt },
    ]);
  }
}

/**
 * Four-eyes: the decision needs a reviewer other than the one who proposed it (or escalated the case), or a
 * proposal's own author tried to decline it.
 */
export class SecondReviewerRequiredError extends ApiError {
  constructor(message: string) {
    super(409, 'SECOND_REVIEWER_REQUIRED', message);
  }
}

/** A case has an open proposal (four-eyes or escalation) that this action does not settle: decline it first. */
export class ProposalPendingError extends ApiError {
  constructor(message: string, details?: FieldIssue[]) {
    super(409, 'PROPOSAL_PENDING', message, details);
  }
}

/**
 * A third-party provider may not act for the customer under this grant (revoked, expired, a scope not granted, the
 * TPP or the customer no longer active): 403 with a stable code saying which, for the tenant's gateway to act on.
 */
export class TppAccessRefusedError extends ApiError {
  constructor(code: string, message: string) {
    super(403, code, message);
  }
}

export class PayloadTooLargeError extends ApiError {
  constructor(message = 'Request body is too large') {
    super(413, 'PAYLOAD_TOO_LARGE', message);
  }
}

/** The body, or a file in it, is of a kind the route does not take (judged from the bytes where it matters). */
export class UnsupportedMediaTypeError extends ApiError {
  constructor(message: string, details?: FieldIssue[]) {
    super(415, 'UNSUPPORTED_MEDIA_TYPE', message, details);
  }
}

export class ServiceUnavailableError extends ApiError {
  constructor(message = 'A dependency is unavailable, please retry shortly', retryAfterSeconds = 5) {
    super(503, 'SERVICE_UNAVAILABLE', message, undefined, { 'Retry-After': String(retryAfterSeconds) });
  }
}

/**
 * Seed 000's 429, with when to try again: over the tenant's (or the caller's IP's) requests per minute, or a step
 * asked again too soon (a verification code resent inside its cooldown), which says so in `message`.
 */
export class RateLimitExceededError extends ApiError {
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many requests, please try again later',
  ) {
    super(429, 'RATE_LIMIT_EXCEEDED', message, undefined, { 'Retry-After': String(retryAfterSeconds) });
  }

  override body(): Record<string, unknown> {
    return { error: this.code, message: this.message, retryAfter: this.retryAfterSeconds };
  }
}

/** An Idempotency-Key already used for a different request (another body, method or path) by this credential. */
export class IdempotencyKeyReusedError extends ApiError {
  constructor() {
    super(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request; use a new key');
  }
}

/** The first request with this Idempotency-Key is still running: retry after it answers to get its response. */
export class IdempotencyKeyInUseError extends ApiError {
  constructor() {
    super(409, 'IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is still in progress; retry shortly', undefined, { 'Retry-After': '1' });
  }
}

/** RFC 6749 §5.2 errors keep OAuth's own body shape, which OAuth client libraries parse. */
export class OAuthError extends ApiError {
  constructor(status: 400 | 401, code: string, description: string) {
    super(status, code, description, undefined, status === 401 ? { 'WWW-Authenticate': 'Basic realm="oauth"' } : {});
  }

  override body(): Record<string, unknown> {
    return { error: this.code, error_description: this.message };
  }
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`No route for ${req.method} ${req.path}`));
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const error = toApiError(err);
    if (error.status >= 500) logger.error({ err: loggableError(err), method: req.method, path: req.path }, 'request failed');
    sendApiError(res, error);
  };
}

/**
 * Answers with a typed error's status, headers and documented body, without the error handler's log line: for a
 * middleware that already said what it had to in the log (e.g. once per process, not per request).
 */
export function sendApiError(res: Response, error: ApiError): void {
  res.status(error.status).set(error.headers).json(error.body());
}

/**
 * What of an unexpected error may go to the log: its kind, code, message and stack. Driver errors also carry
 * `detail`, `where` and bound parameters, which quote row values (e-mail addresses, names): those stay out.
 * The driver's code goes out as `errorCode`: the logger redacts every `code` key (verification codes).
 */
export function loggableError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const { code, constraint, table } = err as Error & { code?: string; constraint?: string; table?: string };
  return { type: err.name, message: err.message, errorCode: code, constraint, table, stack: err.stack };
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as { type?: string; status?: number };
  // Express's body parsers: malformed JSON, oversized or unsupported bodies.
  if (e?.type === 'entity.parse.failed') {
    return new ValidationError([{ field: 'body', message: 'Request body is not valid JSON' }], 'Malformed JSON body');
  }
  // The router could not percent-decode a path segment (`%zz`) and marked its URIError 400: the URL is malformed.
  if (err instanceof URIError && (err as { status?: number }).status === 400) return new ValidationError([{ field: 'path', message: 'Must be valid percent-encoding' }], 'Malformed URL');
  if (e?.type === 'entity.too.large') return new PayloadTooLargeError();
  if (e?.type && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new ApiError(e.status, 'BAD_REQUEST', 'The request body could not be read');
  }
  if (isDependencyOutage(err)) return new ServiceUnavailableError();
  return new ApiError(500, 'INTERNAL_ERROR', 'An unexpected error occurred');
}

// 57014: statement_timeout cancelled a query (DATABASE_STATEMENT_TIMEOUT_MS), a database too slow to answer.
// 57P0x: the server is shutting down or restarting; class 08: the connection itself failed.
const OUTAGE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE', '57P01', '57P02', '57P03', '57014']);
/** node-postgres reports a connection dropped mid-query with this message and no code. */
const CONNECTION_LOST = /Connection terminated/;

/** The database could not be reached (as opposed to a query that failed): the client should retry later. */
function isDependencyOutage(err: unknown): boolean {
  const e = err as { code?: string; name?: string; errors?: Array<{ code?: string }> };
  if (e?.name === 'KnexTimeoutError') return true;
  if (e?.code && (OUTAGE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  if (err instanceof Error && e.code === undefined && CONNECTION_LOST.test(err.message)) return true;
  return Array.isArray(e?.errors) && e.errors.some((inner) => inner.code !== undefined && OUTAGE_CODES.has(inner.code));
}
