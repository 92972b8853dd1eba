/** A customer's view of the API: signing in with e-mail and password, then calling with the session token. */
import type { Harness } from './harness';
import { register } from './journey';
import { http, uniqueEmail, type HttpResult, type TenantSession } from './tenant-client';

export const PASSWORD = 'SecurePassword123!';
export const AUTH = '/api/v2.1/customer/auth';

export interface CustomerSession {
  tenantId: string;
  customerId: string;
  accessToken: string;
  refreshToken: string;
  call<T = any>(method: string, path: string, body?: unknown, extraHeaders?: Record<string, string>): Promise<HttpResult<T>>;
}

/** POST to a public customer auth route, naming the tenant with X-Tenant-ID only. */
export function authCall(h: Harness, tenantId: string, path: string, body: unknown): Promise<HttpResult> {
  return http(h.api.url, 'POST', `${AUTH}${path}`, { body, headers: { 'x-tenant-id': tenantId } });
}

export function withToken(h: Harness, tenantId: string, accessToken: string) {
  return <T = any>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}) =>
    http<T>(h.api.url, method, path, { body, headers: { authorization: `Bearer ${accessToken}`, 'x-tenant-id': tenantId, ...extraHeaders } });
}

export async function login(h: Harness, tenantId: string, email: string, password = PASSWORD): Promise<CustomerSession> {
  const res = await authCall(h, tenantId, '/login', { email, password });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${JSON.stringify(res.body)}`);
  return sessionOf(h, tenantId, res.body);
}

export function sessionOf(h: Harness, tenantId: string, tokens: { accessToken: string; refreshToken: string }): CustomerSession {
  const customerId = JSON.parse(Buffer.from(tokens.accessToken.split('.')[1]!, 'base64url').toString()).sub as string;
  return { tenantId, customerId, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, call: withToken(h, tenantId, tokens.accessToken) };
}

/** A customer registered by the tenant with the test password, and signed in. */
export async function registeredAndSignedIn(h: Harness, tenant: TenantSession) {
  const customer = await register(tenant, { password: PASSWORD });
  return { ...customer, session: await login(h, tenant.tenantId, customer.email) };
}

/** Seed 004's v2 request (a customer created without a password), with a fresh e-mail address. */
export function v2Request(email = uniqueEmail('maria')) {
  return {
    verification_type: 'STANDARD',
    basic_info: {
      first_name: 'Maria', middle_name: 'Elena', last_name: 'Garcia', dob: '1990-04-15', email,
      phone: '+14155552671', country_of_residence: 'USA', primary_nationality: 'USA', secondary_nationality: 'MEX', gender: 'FEMALE',
      tax_info: [{ country_code: 'USA', document_type: 'SSN', document_id: '123-45-6789' }],
    },
    address: { street_line_1: '123 Market Street', street_line_2: 'Apt 4B', city: 'San Francisco', subdivision_code: 'US-CA', postal_code: '94103', country: 'USA' },
    financial_profile: {
      employment_status: 'EMPLOYED', occupation_id: 42, purpose_id: 3, purpose_remarks: 'Personal remittances to family',
      source_of_funds_description: 'Monthly salary from employment', source_of_fund_ids: [1, 5], monthly_volume_usd: 5000,
    },
    meta_data: { reference: 'client-ref-abc-001' },
  };
}
