/**
 * The one way the app talks to the API: same-origin fetch with the HttpOnly session cookie, the CSRF token held in
 * memory only (never in localStorage or sessionStorage) and sent on every unsafe call, and the API's error body
 * `{ error, message, details }` turned into an ApiError. A 401 anywhere but the sign-in calls ends the session.
 */

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
  }

  /** The API's message for one field (e.g. `reason`), if it named that field. */
  fieldMessage(field: string): string | undefined {
    return this.details.find((detail) => detail.field === field || detail.field.endsWith(`.${field}`))?.message;
  }
}

export interface ApiAnswer<T> {
  status: number;
  body: T;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken: string | null = null;
let onUnauthorized: () => void = () => undefined;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called on a 401 from any call except those that pass `allowUnauthorized` (the sign-in and session calls). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  options: { body?: unknown; allowUnauthorized?: boolean } = {},
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'The API could not be reached. Check the connection and try again.');
  }
  const body = await readBody(response);
  if (response.ok) return { status: response.status, body: body as T };
  if (response.status === 401 && !options.allowUnauthorized) onUnauthorized();
  throw errorOf(response.status, body);
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorOf(status: number, body: unknown): ApiError {
  if (body && typeof body === 'object' && 'message' in body) {
    const { error, message, details } = body as { error?: unknown; message?: unknown; details?: unknown };
    const problems = Array.isArray(details)
      ? details.filter((d): d is FieldProblem => !!d && typeof d.field === 'string' && typeof d.message === 'string')
      : [];
    return new ApiError(status, String(error ?? 'ERROR'), String(message), problems);
  }
  return new ApiError(status, 'ERROR', `The API answered ${status}.`);
}

/** A query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** An error in words for an alert: the API's message, and what it said of each field. */
export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return 'Something went wrong.';
  const details = error instanceof ApiError ? error.details.map((detail) => `${detail.field}: ${detail.message}`) : [];
  return details.length ? `${error.message} (${details.join('; ')})` : error.message;
}
