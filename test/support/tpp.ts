/** TPP helpers for the TPP tests: an Enterprise tenant (SCT12), a registered TPP, a grant's request body. */
import { randomBytes } from 'node:crypto';
import type { Harness } from './harness';
import { tenantWithAccess } from './tenancy';
import type { TenantSession } from './tenant-client';

export const TPPS = '/v2/customer/tpps';
export const consentsOf = (customerId: string) => `/v2/customer/${customerId}/tpp-consents`;

export const enterpriseTenant = (h: Harness, name = 'Enterprise Bank') => tenantWithAccess(h, { tier: 'ENTERPRISE' }, name);

export function tppRequest(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Budget Buddy B.V.',
    authorisation_number: `PSDNL-DNB-${randomBytes(4).toString('hex')}`,
    competent_authority: 'De Nederlandsche Bank',
    country: 'NLD',
    roles: ['AISP', 'PISP'],
    ...overrides,
  };
}

export async function registerTpp(tenant: TenantSession, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await tenant.call('POST', TPPS, tppRequest(overrides));
  if (res.status !== 201) throw new Error(`TPP registration: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.id as string;
}

export const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
export const inDays = (days: number) => inSeconds(days * 24 * 60 * 60);

export const tppConsentWorkflow = (h: Harness, tenantId: string, consentId: string) => h.temporal.workflow.getHandle(`tpp-consent:${tenantId}:${consentId}`);

/** Polls until `check` returns a value (not undefined), or fails at the deadline. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
