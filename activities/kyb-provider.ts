/**
 * The one door to the business-verification (KYB) vendor. KYB activities depend on `KybProvider` only;
 * `createHttpKybProvider` speaks the vendor API that the devstack sandbox also implements:
 *
 *   POST /v1/business-checks { reference, businessName, registrationNumber, country } → { checkId }
 *   GET  /v1/business-checks/{checkId} → { status, reason? }
 *   GET  /v1/registry/companies/{country}/{registrationNumber}?name=… → { registeredName, status, officers } · 404
 *
 * Retries and refusals follow the KYC adapter (provider-http.ts): 5xx, 408, 429, timeouts and network errors are
 * retried by Temporal; other 4xx fail at once with a stable type; messages never carry the company's data.
 */
import { z } from 'zod';
import { KYB_REGISTRATION_STATUSES, type KybRegistryFindings } from '../common/kyb-contract';
import { createCheckVendorCaller, type HttpProviderOptions, type VendorCheckStatus } from './provider-http';

export interface KybCheckRequest {
  /** Our idempotency key at the vendor: the same reference never opens a second check. */
  reference: string;
  businessName: string;
  registrationNumber: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
}

export interface RegistryLookupRequest {
  registrationNumber: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
  /** The name the tenant gave, which some registries (and the sandbox) use to disambiguate. */
  name: string;
}

export type KybDecision = VendorCheckStatus;

export interface KybProvider {
  readonly name: string;
  submit(req: KybCheckRequest): Promise<{ checkId: string }>;
  fetch(checkId: string): Promise<{ status: KybDecision; reason?: string }>;
  /** The registry's record of the company; `found: false` when it knows no company under that number. */
  lookUpCompany(req: RegistryLookupRequest): Promise<KybRegistryFindings>;
}

export const KybProviderFailure = {
  /** The vendor refused the request (4xx): retrying the same request cannot help. */
  Rejected: 'KybProviderRejected',
  /** The vendor answered 2xx with a body outside its contract. */
  InvalidResponse: 'KybProviderInvalidResponse',
} as const;

export type HttpKybProviderOptions = HttpProviderOptions;

const registryResponseSchema = z.object({
  registeredName: z.string().min(1),
  status: z.enum(KYB_REGISTRATION_STATUSES),
  officers: z.array(z.object({ name: z.string().min(1), role: z.string().min(1) })).default([]),
});

export function createHttpKybProvider(options: HttpKybProviderOptions): KybProvider {
  const vendor = createCheckVendorCaller({ kind: 'KYB provider', options, failures: KybProviderFailure, checksPath: '/v1/business-checks', metricsKind: 'kyb' });
  const segment = encodeURIComponent;

  return {
    name: options.name,
    submit: ({ reference, businessName, registrationNumber, country }) => vendor.submitCheck({ reference, businessName, registrationNumber, country }),
    fetch: (checkId) => vendor.fetchCheck(checkId),
    async lookUpCompany({ registrationNumber, country, name }) {
      const path = `/v1/registry/companies/${segment(country)}/${segment(registrationNumber)}?name=${segment(name)}`;
      const record = await vendor.call('company_lookup', 'GET', path, registryResponseSchema, undefined, [404]);
      if (!record) return { found: false, officers: [] };
      return { found: true, registeredName: record.registeredName, registrationStatus: record.status, officers: record.officers };
    },
  };
}
