/**
 * The one door to the identity-verification vendor. KYC activities depend on `KycProvider` only, so a test or
 * another vendor slots in without touching them; `createHttpKycProvider` speaks the vendor API that the devstack
 * sandbox also implements (POST /v1/checks, GET /v1/checks/{checkId}).
 *
 * Failures are classified for Temporal's retries: a vendor that is down, slow or unreachable (5xx, 408, 429,
 * timeout, network error) is a plain Error, retried with back-off; a vendor that refuses the request (other 4xx)
 * or answers something we cannot read will answer the same on every retry, so it is a non-retryable
 * ApplicationFailure with a stable type. Error messages carry the operation, HTTP status and vendor error code,
 * never the person's data, because they end up in workflow histories and logs.
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';

export interface KycCheckRequest {
  /** Our idempotency key at the vendor: the same reference never opens a second check. */
  reference: string;
  firstName: string;
  lastName: string;
  /** YYYY-MM-DD */
  dateOfBirth?: string;
  /** ISO 3166-1 alpha-2 */
  country?: string;
}

/**
 * What a check needs to match a person reliably. The vendor API accepts a request without date of birth or
 * country, but then matches on the name alone; identity-verification workflows invite the person to supply
 * these before they submit (the individual's onboarding collects them as its profile step).
 */
export const KYC_CHECK_NEEDS = ['firstName', 'lastName', 'dateOfBirth', 'country'] as const satisfies ReadonlyArray<keyof KycCheckRequest>;

export type KycDecision = 'APPROVED' | 'REJECTED' | 'REVIEW' | 'PENDING';

export interface KycProvider {
  readonly name: string;
  submit(req: KycCheckRequest): Promise<{ checkId: string }>;
  fetch(checkId: string): Promise<{ status: KycDecision; reason?: string }>;
}

export const KycProviderFailure = {
  /** The vendor refused the request (4xx): retrying the same request cannot help. */
  Rejected: 'KycProviderRejected',
  /** The vendor answered 2xx with a body outside its contract. */
  InvalidResponse: 'KycProviderInvalidResponse',
} as const;

export interface HttpKycProviderOptions {
  /** Shown in errors and logs, e.g. "sandbox". */
  name: string;
  baseUrl: string;
  /** Per request, including reading the body. */
  timeoutMs: number;
}

const submitResponseSchema = z.object({ checkId: z.string().min(1) });
const fetchResponseSchema = z.object({
  status: z.enum(['APPROVED', 'REJECTED', 'REVIEW', 'PENDING']),
  reason: z.string().nullish(),
});

/** Client errors that still say "try again later". */
const RETRYABLE_CLIENT_STATUSES = new Set([408, 429]);

export function createHttpKycProvider({ name, baseUrl, timeoutMs }: HttpKycProviderOptions): KycProvider {
  const base = baseUrl.replace(/\/+$/, '');

  async function call<T extends z.ZodType>(method: 'GET' | 'POST', path: string, schema: T, body?: unknown): Promise<z.output<T>> {
    const operation = `KYC provider ${name}: ${method} ${path}`;
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

    if (status >= 400 && status < 500 && !RETRYABLE_CLIENT_STATUSES.has(status)) {
      const code = vendorErrorCode(text);
      throw ApplicationFailure.nonRetryable(
        `${operation} was refused with ${status}${code ? ` ${code}` : ''}`,
        KycProviderFailure.Rejected,
        { provider: name, httpStatus: status, code },
      );
    }
    if (status < 200 || status >= 300) throw new Error(`${operation} answered ${status}`);

    const parsed = schema.safeParse(parseJson(text));
    if (!parsed.success) {
      throw ApplicationFailure.nonRetryable(`${operation} answered ${status} with an unexpected body`, KycProviderFailure.InvalidResponse, {
        provider: name,
        httpStatus: status,
      });
    }
    return parsed.data;
  }

  return {
    name,
    async submit(req) {
      const { reference, firstName, lastName, dateOfBirth, country } = req;
      const { checkId } = await call('POST', '/v1/checks', submitResponseSchema, { reference, firstName, lastName, dateOfBirth, country });
      return { checkId };
    },
    async fetch(checkId) {
      const { status, reason } = await call('GET', `/v1/checks/${encodeURIComponent(checkId)}`, fetchResponseSchema);
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

/** Only a code-shaped `error` field: vendor messages may quote the submitted personal data back. */
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
