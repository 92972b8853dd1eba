/**
 * A stand-in KYC vendor for development and tests. It is a separate HTTP service with a vendor-shaped API, so the
 * product's KYC activity talks to it exactly as it would to a real provider: submit a check, get a decision later
 * through a signed callback, or poll for it.
 *
 *   POST /v1/checks { reference, firstName, lastName, dateOfBirth?, country?, callbackUrl? }
 *        → 202 { checkId, status }. Idempotent on `reference`: a resubmit answers the same check (and its current
 *          status), so a retried activity never opens a second check; different person data under a known
 *          reference is a 409.
 *   GET  /v1/checks/{checkId} → 200 { checkId, reference, status, reason? } · 404 when unknown
 *
 * A check is decided about 50 ms after it is accepted; the decision is then POSTed as
 * { checkId, reference, status, reason? } to `callbackUrl` (else `webhookUrl`), signed. The outcome is chosen by
 * the last name (see outcomes.ts). With a `stateFile`, checks and the callbacks still owed survive a restart: a
 * sandbox started on the same file delivers them when they fall due. The machinery is the shared vendor core
 * (../vendor-sandbox/).
 */
import { startVendorSandbox, type RunningVendorSandbox, type VendorSandboxOptions } from '../vendor-sandbox';
import { checkRequestSchema, fingerprintOf, outcomeFor } from './outcomes';

export { MAGIC_LAST_NAMES } from './outcomes';
export type { SandboxStatus as KycSandboxStatus } from '../vendor-sandbox/outcomes';
export type KycSandboxOptions = VendorSandboxOptions;
export type RunningKycSandbox = RunningVendorSandbox;

export function startKycSandbox(options: KycSandboxOptions): Promise<RunningKycSandbox> {
  return startVendorSandbox(
    {
      name: 'kyc-sandbox',
      checksPath: '/v1/checks',
      checkIdPrefix: 'chk_',
      checkRequestSchema,
      fingerprintOf,
      outcomeFor: (request) => outcomeFor(request.lastName),
      conflictMessage: 'This reference already names a check for other person data',
    },
    options,
  );
}
