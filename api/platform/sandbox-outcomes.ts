/**
 * Sandbox outcomes (development and test only, never mounted in production): a tenant forces what the sandbox
 * KYC or KYB vendor decides for a customer's pending check. The vendor is told to decide that check now
 * (devstack/vendor-sandbox: POST …/{checkId}/decision); its signed callback then reaches the product as any
 * provider's would, and the workflows move the customer on as in production.
 */
import type { Knex } from '../../common/db';
import { CustomerStatusError, NotFoundError, ServiceUnavailableError } from '../http/errors';

export const SANDBOX_OUTCOMES = ['APPROVED', 'REJECTED', 'MANUAL_REVIEW'] as const;
export type SandboxOutcome = (typeof SANDBOX_OUTCOMES)[number];

/** Where the sandbox vendors listen; filled by whoever starts them (npm start, the tests) or from the provider URLs. */
export interface SandboxVendorUrls {
  kyc?: string;
  kyb?: string;
}

interface Vendor {
  name: 'KYC' | 'KYB';
  url: () => string | undefined;
  checksPath: string;
}

/** A sandbox answers at once; one that does not within this is as good as down. */
const VENDOR_TIMEOUT_MS = 5_000;

export function createSandboxOutcomes({ db, vendors, timeoutMs = VENDOR_TIMEOUT_MS }: { db: Knex; vendors: SandboxVendorUrls; timeoutMs?: number }) {
  const kyc: Vendor = { name: 'KYC', url: () => vendors.kyc, checksPath: '/v1/checks' };
  const kyb: Vendor = { name: 'KYB', url: () => vendors.kyb, checksPath: '/v1/business-checks' };

  async function customerStatus(tenantId: string, customerId: string, type: 'INDIVIDUAL' | 'ORGANIZATION'): Promise<string> {
    const row = await db('customers').where({ tenant_id: tenantId, id: customerId, type }).first<{ status: string } | undefined>('status');
    if (!row) throw new NotFoundError(type === 'INDIVIDUAL' ? 'Customer not found' : 'Organization not found');
    return row.status;
  }

  /** Tells the vendor to decide the check; a check it already decided is as good as no pending check. */
  async function decide(vendor: Vendor, checkId: string, outcome: SandboxOutcome, status: string): Promise<void> {
    const base = vendor.url();
    if (!base) throw new ServiceUnavailableError(`No sandbox ${vendor.name} provider is configured`);
    let answer: Response;
    try {
      answer = await fetch(`${base}${vendor.checksPath}/${encodeURIComponent(checkId)}/decision`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status: outcome === 'MANUAL_REVIEW' ? 'REVIEW' : outcome }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw new ServiceUnavailableError(`The sandbox ${vendor.name} provider cannot be reached`);
    }
    if (answer.status === 409) throw new CustomerStatusError(`The ${vendor.name} check was decided meanwhile`, status);
    if (answer.status !== 202) throw new ServiceUnavailableError(`The ${vendor.name} provider did not take the sandbox decision`);
  }

  return {
    /** The individual's own KYC check still awaiting the vendor (not a director's or owner's check). */
    async forceKycOutcome(tenantId: string, customerId: string, outcome: SandboxOutcome) {
      const status = await customerStatus(tenantId, customerId, 'INDIVIDUAL');
      const check = await db('kyc_verifications')
        .where({ tenant_id: tenantId, customer_id: customerId, status: 'IN_PROGRESS' })
        .whereNotNull('check_id')
        .where((own) => own.whereNull('subject_type').orWhere({ subject_type: 'CUSTOMER' }))
        .orderBy('created_at', 'desc')
        .first<{ id: string; check_id: string } | undefined>('id', 'check_id');
      if (!check) throw new CustomerStatusError('No KYC check is pending for this customer', status);
      await decide(kyc, check.check_id, outcome, status);
      return { customerId, verificationId: check.id, outcome };
    },

    /** The organization's own KYB check still awaiting the vendor. */
    async forceKybOutcome(tenantId: string, organizationId: string, outcome: SandboxOutcome) {
      const status = await customerStatus(tenantId, organizationId, 'ORGANIZATION');
      const check = await db('kyb_verifications')
        .where({ tenant_id: tenantId, customer_id: organizationId, status: 'IN_PROGRESS' })
        .whereNotNull('check_id')
        .orderBy('created_at', 'desc')
        .first<{ id: string; check_id: string } | undefined>('id', 'check_id');
      if (!check) throw new CustomerStatusError('No KYB check is pending for this organization', status);
      await decide(kyb, check.check_id, outcome, status);
      return { organizationId, verificationId: check.id, outcome };
    },
  };
}

export type SandboxOutcomes = ReturnType<typeof createSandboxOutcomes>;
