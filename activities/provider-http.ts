/**
 * How every vendor adapter (KYC, KYB) calls its vendor's JSON API, and how it classifies failures for Temporal's
 * retries: a vendor that is down, slow or unreachable (5xx, 408, 429, timeout, network error) is a plain Error,
 * retried with back-off; a vendor that refuses the request (other 4xx) or answers something we cannot read will
 * answer the same on every retry, so it is a non-retryable ApplicationFailure with a stable type. Error messages
 * carry the operation, HTTP status and vendor error code, never the request's data, because they end up in
 * workflow histories and logs.
 *
 * Both vendors also share the shape of their check API (`createCheckVendorCaller`): POST {checksPath} opens a
 * check idempotently on our reference, GET {checksPath}/{checkId} polls its decision.
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { providerCallSeconds, type ProviderOutcome } from './metrics';

/** How an adapter is configured (KYC, KYB). */
export interface HttpProviderOptions {
  /** Shown in errors and logs, e.g. "sandbox". */
  name: string;
  baseUrl: string;
  /** Per request, including reading the body. */
  timeoutMs: number;
}

export type VendorCheckStatus = 'APPROVED' | 'REJECTED' | 'REVIEW' | 'PENDING';

export interface ProviderCallerOptions {
  /** e.g. "KYC provider sandbox": the start of every error message. */
  label: string;
  name: string;
  baseUrl: string;
  /** Per request, including reading the body. */
  timeoutMs: number;
  failureTypes: { rejected: string; invalidResponse: string };
  /** The `kind` label of the adapter's calls on /metrics. */
  metricsKind: 'kyc' | 'kyb';
}

/** Client errors that still say "try again later". */
const RETRYABLE_CLIENT_STATUSES = new Set([408, 429]);

export function createProviderCaller({ label, name, baseUrl, timeoutMs, failureTypes, metricsKind }: ProviderCallerOptions) {
  const base = baseUrl.replace(/\/+$/, '');

  /**
   * `send`, timed on /metrics under `operation` (a fixed name such as `submit_check`: the path carries ids), with
   * the outcome class Temporal acts on: a non-retryable failure is `failed`, any other error `retryable`.
   */
  async function call<T extends z.ZodType>(
    operation: string,
    method: 'GET' | 'POST',
    path: string,
    schema: T,
    body?: unknown,
    absentOn: readonly number[] = [],
  ): Promise<z.output<T>> {
    const stop = providerCallSeconds.startTimer({ kind: metricsKind, provider: name, operation });
    let outcome: ProviderOutcome = 'retryable';
    try {
      const answer = await send(method, path, schema, body, absentOn);
      outcome = 'success';
      return answer;
    } catch (error) {
      if (error instanceof ApplicationFailure && error.nonRetryable) outcome = 'failed';
      throw error;
    } finally {
      stop({ outcome });
    }
  }

  /**
   * The parsed 2xx answer; `undefined` for a status listed in `absentOn` (e.g. a registry's 404, "no such
   * company", is an answer, not a refusal). The query string never reaches an error message.
   */
  async function send<T extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: T,
    body?: unknown,
    absentOn: readonly number[] = [],
  ): Promise<z.output<T>> {
    const operation = `${label}: ${method} ${path.replace(/\?.*$/, '')}`;
    let status: number;
    let text: string;
    try {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw new Error(`${operation} ${transportProblem(error, timeoutMs)}`);
    }

    if (absentOn.includes(status)) return undefined as z.output<T>;
    if (status >= 400 && status < 500 && !RETRYABLE_CLIENT_STATUSES.has(status)) {
      const code = vendorErrorCode(text);
      throw ApplicationFailure.nonRetryable(`${operation} was refused with ${status}${code ? ` ${code}` : ''}`, failureTypes.rejected, {
        provider: name,
        httpStatus: status,
        code,
      });
    }
    if (status < 200 || status >= 300) throw new Error(`${operation} answered ${status}`);

    const parsed = schema.safeParse(parseJson(text));
    if (!parsed.success) {
      throw ApplicationFailure.nonRetryable(`${operation} answered ${status} with an unexpected body`, failureTypes.invalidResponse, {
        provider: name,
        httpStatus: status,
      });
    }
    return parsed.data;
  }

  return call;
}

const submitResponseSchema = z.object({ checkId: z.string().min(1) });
const fetchResponseSchema = z.object({
  status: z.enum(['APPROVED', 'REJECTED', 'REVIEW', 'PENDING']),
  reason: z.string().nullish(),
});

export interface CheckVendorCallerOptions {
  /** e.g. "KYC provider": with the adapter's name, the start of every error message. */
  kind: string;
  options: HttpProviderOptions;
  /** The adapter's stable failure types, e.g. KycProviderFailure. */
  failures: { Rejected: string; InvalidResponse: string };
  /** e.g. `/v1/checks`. */
  checksPath: string;
  /** The `kind` label of its calls on /metrics. */
  metricsKind: 'kyc' | 'kyb';
}

/** The caller for a vendor's other routes, and its check endpoints. */
export function createCheckVendorCaller({ kind, options: { name, baseUrl, timeoutMs }, failures, checksPath, metricsKind }: CheckVendorCallerOptions) {
  const failureTypes = { rejected: failures.Rejected, invalidResponse: failures.InvalidResponse };
  const call = createProviderCaller({ label: `${kind} ${name}`, name, baseUrl, timeoutMs, failureTypes, metricsKind });
  return {
    call,
    /** `body` names each field the vendor may see, so nothing else of the caller's object is sent. */
    async submitCheck(body: { reference: string } & Record<string, unknown>): Promise<{ checkId: string }> {
      const { checkId } = await call('submit_check', 'POST', checksPath, submitResponseSchema, body);
      return { checkId };
    },
    async fetchCheck(checkId: string): Promise<{ status: VendorCheckStatus; reason?: string }> {
      const { status, reason } = await call('fetch_check', 'GET', `${checksPath}/${encodeURIComponent(checkId)}`, fetchResponseSchema);
      return reason ? { status, reason } : { status };
    },
  };
}

/** Names what went wrong on the wire without echoing anything the vendor or the request contained. */
function transportProblem(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; cause?: { code?: unknown } };
  if (e?.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  const code = typeof e?.cause?.code === 'string' ? e.cause.code : e?.name ?? 'unknown error';
  return `failed on the network (${code})`;
}

/** Only a code-shaped `error` field: vendor messages may quote the submitted data back. */
function vendorErrorCode(text: string): string | undefined {
  const body = parseJson(text) as { error?: unknown } | undefined;
  const code = body?.error;
  return typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
