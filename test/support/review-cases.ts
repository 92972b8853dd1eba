/**
 * Cases waiting on staff, put there through the API the way a tenant's backend gets them there: an individual
 * whose KYC the sandbox sends to review, an organization whose checks did not pass, an organization whose own KYB
 * check the sandbox sends to review, a document nobody has decided. Shared by the review queue's API tests and the
 * back office's browser tests.
 */
import type { Harness } from './harness';
import { pngFile, upload } from './documents';
import { readyForKyc, register, waitForStatus } from './journey';
import { kybRow } from './kyb';
import { expectStatus, readyForKyb, waitForOrganization } from './organization-journey';
import type { TenantSession } from './tenant-client';

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** The KYC sandbox's reason for a `Review` last name, which the customer's MANUAL_REVIEW records. */
export const KYC_REVIEW_REASON = 'POSSIBLE_WATCHLIST_MATCH';
/** The KYB sandbox's reason for a `Review` business name, which the KYB check's MANUAL_REVIEW records. */
export const KYB_REVIEW_REASON = 'ADVERSE_MEDIA_MATCH';
/** An organization whose KYB the vendor rejects goes to MANUAL_REVIEW with this reason. */
export const ORGANIZATION_REVIEW_REASON = 'Checks did not pass: KYB';

/** An individual in MANUAL_REVIEW: the KYC sandbox answers REVIEW for the last name `Review`. */
export async function individualInManualReview(h: Harness, tenant: TenantSession, overrides: Record<string, unknown> = {}) {
  const customer = await readyForKyc(h, tenant, { lastName: 'Review', ...overrides });
  await expectStatus(tenant.call('POST', `${customer.path}/verification`), 202);
  await waitForStatus(tenant, customer.path, 'MANUAL_REVIEW');
  return customer;
}

/**
 * An organization in MANUAL_REVIEW (decided at `…/review-decision`): the KYB sandbox rejects a `Reject` business
 * name. Its certificate of incorporation is a DOCUMENT case too (`certificateId`).
 */
export async function organizationInReview(h: Harness, tenant: TenantSession, name = 'Reject Trading') {
  const org = await readyForKyb(h, tenant, { businessName: `${name} ${unique()}` });
  await expectStatus(tenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`), 202);
  await waitForOrganization(tenant, org, 'MANUAL_REVIEW');
  return { ...org, businessName: org.body.businessName as string, certificateId: await certificateOf(tenant, org.id) };
}

/** An organization whose own KYB check waits in MANUAL_REVIEW (decided at `…/kyb-decision`): a `Review` business name. */
export async function organizationKybInReview(h: Harness, tenant: TenantSession, name = 'Review Trading') {
  const org = await readyForKyb(h, tenant, { businessName: `${name} ${unique()}` });
  await expectStatus(tenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`), 202);
  await kybRow(h, org.id, (row) => row.status === 'MANUAL_REVIEW', 30_000);
  return { ...org, businessName: org.body.businessName as string, certificateId: await certificateOf(tenant, org.id) };
}

/** A document no reviewer has decided (UPLOADED): a passport image uploaded for a new individual (or `customerId`). */
export async function documentAwaitingReview(h: Harness, tenant: TenantSession, customerId?: string, type = 'PASSPORT') {
  const owner = customerId ?? (await register(tenant)).customerId;
  const uploaded = await expectStatus(upload(h, tenant, owner, { bytes: pngFile(), fileName: 'passport.png', contentType: 'image/png', fields: { type } }), 201);
  return { documentId: uploaded.documentId as string, customerId: owner, type };
}

/** The organization's certificate of incorporation, as the tenant lists its documents. */
async function certificateOf(tenant: TenantSession, organizationId: string): Promise<string> {
  const listed = await expectStatus(tenant.call('GET', `/api/v2.1/customer/${organizationId}/documents`), 200);
  return (listed.data as Array<{ documentId: string; type: string }>).find((doc) => doc.type === 'CERTIFICATE_OF_INCORPORATION')!.documentId;
}
