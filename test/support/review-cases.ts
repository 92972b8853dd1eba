/**
 * Cases waiting on staff, put there through the API the way a tenant's backend gets them there: an individual
 * whose KYC the sandbox sends to review, an organization whose checks did not pass, an organization whose own KYB
 * check the sandbox sends to review, an organization's director whose identity check the sandbox sends to review,
 * a document nobody has decided. Shared by the review queue's API tests and the
 * back office's browser tests.
 */
import type { Harness } from './harness';
import { pngFile, upload } from './documents';
import { readyForKyc, register, waitForStatus } from './journey';
import { waitForCheck } from './identity';
import { kybRow } from './kyb';
import { expectStatus, fullPerson, readyForKyb, waitForOrganization } from './organization-journey';
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

/**
 * An organization's director whose own identity check waits in MANUAL_REVIEW (a PERSON case, decided at
 * `…/verifications/{id}/decision`): the KYC sandbox answers REVIEW (`POSSIBLE_WATCHLIST_MATCH`) for the last name
 * `Review`, as for an individual. The representative and KYB pass, so the organization stays ONBOARDING waiting for
 * that one decision. With `passport`, the tenant first files a passport image for the director (its partyId).
 */
export async function personInManualReview(h: Harness, tenant: TenantSession, options: { name?: string; passport?: boolean } = {}) {
  const org = await readyForKyb(h, tenant, { businessName: `${options.name ?? 'Person Trading'} ${unique()}` });
  const director = await expectStatus(tenant.call('POST', `${org.path}/directors`, fullPerson('Dana', 'Review')), 201);
  const partyId = director.partyId as string;
  const passport = options.passport
    ? await expectStatus(upload(h, tenant, org.id, { bytes: pngFile(), fileName: 'dana-passport.png', contentType: 'image/png', fields: { type: 'PASSPORT', partyId } }), 201)
    : undefined;
  await expectStatus(tenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`), 202);
  const check = await personCheckRow(h, org.id, partyId, (row) => row.status === 'MANUAL_REVIEW');
  // The child records the status before it applies it: until it has, a decision would be refused as out of step.
  await waitForCheck(h.temporal.workflow.getHandle(check.workflow_id), 'MANUAL_REVIEW');
  return { ...org, businessName: org.body.businessName as string, partyId, verificationId: check.id as string, passportId: passport?.documentId as string | undefined };
}

/** The newest identity check of an organization's person, once `ready` holds for it. */
export async function personCheckRow(h: Harness, organizationId: string, partyId: string, ready: (row: any) => boolean = () => true, timeoutMs = 30_000) {
  for (const deadline = Date.now() + timeoutMs; ; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const row = await h.db('kyc_verifications').where({ customer_id: organizationId, subject_type: 'PARTY', subject_id: partyId }).orderBy('created_at', 'desc').first();
    if (row && ready(row)) return row;
    if (Date.now() > deadline) throw new Error(`identity check of ${partyId}: ${JSON.stringify(row)}`);
  }
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
