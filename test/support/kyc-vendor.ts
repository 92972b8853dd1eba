/** Restarting the harness's KYC sandbox vendor on the same port, as a vendor outage or redeploy would. */
import { startKycSandbox, type KycSandboxOptions, type RunningKycSandbox } from '../../devstack/kyc-sandbox';
import type { Harness } from './harness';

/**
 * Stops `current` and starts a vendor on the harness sandbox's port (the workers' provider URL). Without a
 * `stateFile`, or with a fresh one, the new vendor knows no check: polls of earlier checks answer 404.
 */
export async function restartKycVendor(h: Harness, current: RunningKycSandbox, options: Partial<KycSandboxOptions> = {}) {
  await current.stop();
  return startKycSandbox({
    port: Number(new URL(h.kycSandbox.url).port),
    webhookUrl: `${h.api.url}/api/v2.1/webhooks/kyc/${h.config.KYC_PROVIDER_NAME}`,
    webhookSecret: h.secrets.kycWebhookSecret,
    ...options,
  });
}

/** The customer's verification row once the vendor has accepted the check (check_id stored). */
export async function submittedCheck(h: Harness, customerId: string, timeoutMs = 10_000) {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const row = await h.db('kyc_verifications').where({ customer_id: customerId }).first();
    if (row?.check_id) return row;
  }
  throw new Error('the check was never submitted');
}
