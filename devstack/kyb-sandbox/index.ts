/**
 * A stand-in KYB vendor for development and tests: a separate HTTP service with a vendor-shaped API, so the KYB
 * activities talk to it exactly as they would to a real provider.
 *
 *   POST /v1/business-checks { reference, businessName, registrationNumber, country, callbackUrl? }
 *        → 202 { checkId, status }. Idempotent on `reference` (a resubmit answers the same check); other company
 *          data under a known reference is a 409.
 *   GET  /v1/business-checks/{checkId} → 200 { checkId, reference, status, reason? } · 404 when unknown
 *   GET  /v1/registry/companies/{country}/{registrationNumber}?name=… → 200 { registeredName, registrationNumber,
 *        country, status, officers: [{ name, role }] } · 404 when the registry knows no such company
 *
 * Decisions are POSTed, signed (Standard Webhooks), as { checkId, reference, status, reason? } to `callbackUrl`
 * (else `webhookUrl`). Outcomes and registry answers follow magic words in the business name (outcomes.ts). The
 * check machinery, callbacks and state file are the shared vendor core (../vendor-sandbox/), as for the KYC
 * sandbox; with a `stateFile`, checks and the callbacks still owed survive a restart.
 */
import { startVendorSandbox, type RunningVendorSandbox, type VendorSandboxOptions } from '../vendor-sandbox';
import { HttpProblem, valid } from '../vendor-sandbox/http';
import type { JsonRoute } from '../vendor-sandbox/server';
import { checkRequestSchema, fingerprintOf, isFlaky, outcomeFor, registryLookupSchema, registryRecordFor } from './outcomes';

export { MAGIC_BUSINESS_NAMES } from './outcomes';
export type KybSandboxOptions = VendorSandboxOptions;
export type RunningKybSandbox = RunningVendorSandbox;

export function startKybSandbox(options: KybSandboxOptions): Promise<RunningKybSandbox> {
  return startVendorSandbox(
    {
      name: 'kyb-sandbox',
      checksPath: '/v1/business-checks',
      checkIdPrefix: 'kyb_chk_',
      checkRequestSchema,
      fingerprintOf,
      outcomeFor: (request) => outcomeFor(request.businessName),
      conflictMessage: 'This reference already names a check for other company data',
      moreRoutes: ({ refuseWhileFlaky }) => [registryRoute(refuseWhileFlaky)],
    },
    options,
  );
}

/** The company registry; Flaky names answer 503 first, counted per company in the sandbox's state file. */
function registryRoute(refuseWhileFlaky: (key: string) => void): JsonRoute {
  return {
    method: 'GET',
    path: '/v1/registry/companies/:country/:registrationNumber',
    handle({ params, query }) {
      const input = { country: params.country, registrationNumber: params.registrationNumber, name: query.get('name') ?? undefined };
      const lookup = valid(registryLookupSchema, input, 'Invalid registry lookup');
      if (isFlaky(lookup.name)) refuseWhileFlaky(`registry:${lookup.country}/${lookup.registrationNumber}`);
      const record = registryRecordFor(lookup);
      if (!record) throw new HttpProblem(404, 'COMPANY_NOT_FOUND', 'No company under this registration number');
      return { status: 200, body: record };
    },
  };
}
