/** Steps of an individual's onboarding as a tenant's app would take them, for lifecycle tests. */
import type { Harness } from './harness';
import { waitForEmails } from './inbox';
import { staffHeaders } from './staff';
import { createTenant, http, registration, type TenantSession } from './tenant-client';

export const CONSENTS = ['TERMS_AND_CONDITIONS', 'PRIVACY_POLICY', 'DATA_PROCESSING'] as const;

/** The profile PUT /v2/profile needs while the onboarding waits for it, in seed 004's names. */
export const PROFILE = {
  basic_info: { dob: '1990-04-15', primary_nationality: 'USA', country_of_residence: 'USA' },
  address: { street_line_1: '123 Market Street', city: 'San Francisco', postal_code: '94103', subdivision_code: 'US-CA', country: 'USA' },
};

/** A director's or UBO's profile as the identity details route takes it (/api/v2.1/customer/{id}/persons/{id}/details). */
export const PERSON_PROFILE = {
  dob: PROFILE.basic_info.dob,
  nationality: PROFILE.basic_info.primary_nationality,
  country_of_residence: PROFILE.basic_info.country_of_residence,
  address: PROFILE.address,
};

export async function tenantWithSettings(h: Harness, settings: Record<string, unknown>): Promise<TenantSession> {
  const tenant = await createTenant(h);
  const res = await http(h.api.url, 'PUT', `/api/v2.1/admin/tenants/${tenant.tenantId}/settings`, {
    body: settings,
    headers: await staffHeaders(h, 'PLATFORM_ADMIN'),
  });
  if (res.status !== 200) throw new Error(`settings: ${res.status} ${JSON.stringify(res.body)}`);
  return tenant;
}

export function codeIn(text: string): string {
  const code = /code is (\d{6})/.exec(text)?.[1];
  if (!code) throw new Error(`no code in: ${text}`);
  return code;
}

export async function register(tenant: TenantSession, overrides: Record<string, unknown> = {}) {
  const body = registration(overrides);
  const res = await tenant.call('POST', '/api/v2.1/customer/individual/registration', body);
  if (res.status !== 201) throw new Error(`registration: ${res.status} ${JSON.stringify(res.body)}`);
  return { customerId: res.body.customerId as string, email: body.email, path: `/api/v2.1/customer/${res.body.customerId}` };
}

export async function verifyEmail(h: Harness, tenant: TenantSession, customer: { email: string; path: string }, nth = 1) {
  const emails = await waitForEmails(h.infra.inboxUrl, customer.email, nth);
  const code = codeIn(emails.filter((e) => e.subject === 'Your verification code').at(-1)!.text);
  return tenant.call('POST', `${customer.path}/verify-email`, { code });
}

/** Registration (no phone) through profile and consents: the customer ends at PENDING_KYC. */
export async function readyForKyc(h: Harness, tenant: TenantSession, overrides: Record<string, unknown> = {}) {
  const customer = await register(tenant, overrides);
  await expectOk(verifyEmail(h, tenant, customer));
  await expectOk(tenant.call('PUT', `/v2/profile/${customer.customerId}`, PROFILE));
  for (const type of CONSENTS) await expectOk(tenant.call('POST', `${customer.path}/consents/${type}`, { accepted: true, version: '2026-01' }));
  return customer;
}

/** A customer taken through the whole onboarding (no phone) to ACTIVE: the sandbox KYC vendor approves by default. */
export async function activeCustomer(h: Harness, tenant: TenantSession, overrides: Record<string, unknown> = {}) {
  const customer = await readyForKyc(h, tenant, overrides);
  await expectOk(tenant.call('POST', `${customer.path}/verification`));
  await waitForStatus(tenant, customer.path, 'KYC_APPROVED');
  await expectOk(tenant.call('POST', `${customer.path}/activation`));
  return customer;
}

export async function waitForStatus(tenant: TenantSession, path: string, status: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await tenant.call('GET', `${path}/onboarding`);
    if (res.body.status === status) return res.body;
    if (Date.now() > deadline) throw new Error(`expected ${status}, still ${res.body.status} (${JSON.stringify(res.body.due)})`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

async function expectOk(pending: Promise<{ status: number; body: unknown }>) {
  const res = await pending;
  if (res.status >= 300) throw new Error(`step failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}
