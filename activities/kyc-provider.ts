/**
 * The one door to the identity-verification vendor. KYC activities depend on `KycProvider` only, so a test or
 * another vendor slots in without touching them; `createHttpKycProvider` speaks the vendor API that the devstack
 * sandbox also implements (POST /v1/checks, GET /v1/checks/{checkId}).
 *
 * Failures are classified for Temporal's retries by the shared vendor caller (provider-http.ts): transient faults
 * are plain Errors, refusals and unreadable answers non-retryable ApplicationFailures with the types below, and
 * no message carries the person's data.
 */
import { createCheckVendorCaller, type HttpProviderOptions, type VendorCheckStatus } from './provider-http';

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

export type KycDecision = VendorCheckStatus;

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

export type HttpKycProviderOptions = HttpProviderOptions;

export function createHttpKycProvider(options: HttpKycProviderOptions): KycProvider {
  const vendor = createCheckVendorCaller({ kind: 'KYC provider', options, failures: KycProviderFailure, checksPath: '/v1/checks', metricsKind: 'kyc' });

  return {
    name: options.name,
    submit: ({ reference, firstName, lastName, dateOfBirth, country }) => vendor.submitCheck({ reference, firstName, lastName, dateOfBirth, country }),
    fetch: (checkId) => vendor.fetchCheck(checkId),
  };
}
