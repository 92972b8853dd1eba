/** A tenant's view of the API: plain HTTP with fetch, as a tenant's backend would call it. */
import { randomBytes } from 'node:crypto';
import type { Harness } from './harness';
import { platformAdmin } from './staff';

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function http<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const hasJson = options.body !== undefined;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(hasJson || options.rawBody ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: hasJson ? JSON.stringify(options.body) : options.rawBody,
  });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (HTML docs, empty bodies): keep the text.
  }
  return { status: response.status, body, headers: response.headers };
}

export interface TenantSession {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  token: string;
  headers: Record<string, string>;
  call<T = any>(method: string, path: string, body?: unknown): Promise<HttpResult<T>>;
}

export async function createTenant(h: Harness, name = 'Test Bank'): Promise<TenantSession> {
  const created = await (await platformAdmin(h)).call('POST', '/api/v2.1/admin/tenants', { name, tier: 'PROFESSIONAL' });
  if (created.status !== 201) throw new Error(`tenant creation failed: ${created.status} ${JSON.stringify(created.body)}`);
  const { tenantId, clientId, clientSecret } = created.body;
  const issued = await http(h.api.url, 'POST', '/api/v2.1/oauth/token', {
    body: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
  });
  const token = issued.body.access_token as string;
  const headers = { authorization: `Bearer ${token}`, 'x-tenant-id': tenantId };
  return {
    tenantId,
    clientId,
    clientSecret,
    token,
    headers,
    call: (method, path, body) => http(h.api.url, method, path, { body, headers }),
  };
}

export function uniqueEmail(prefix = 'customer'): string {
  return `${prefix}.${randomBytes(5).toString('hex')}@example.com`;
}

export function registration(overrides: Record<string, unknown> = {}) {
  return {
    firstName: 'John',
    lastName: 'Doe',
    email: uniqueEmail(),
    password: 'SecurePassword123!',
    captcha: '03AGdBq26FHIOiuI9',
    termsAccepted: true,
    marketingConsent: false,
    ...overrides,
  };
}
