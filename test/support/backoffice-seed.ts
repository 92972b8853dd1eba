/**
 * What the back office's browser tests and screenshots need in place, made the way it happens in production: staff
 * accounts enrolled with a real TOTP secret (not logged in: the browser signs them in), a tenant whose four-eyes
 * rule holds rejections, and cases the workflows themselves sent to staff.
 */
import { randomBytes } from 'node:crypto';
import type { StaffRole } from '../../common/access';
import { currentTotp } from '../../api/auth/totp';
import type { Harness } from './harness';
import { readyForKyc, tenantWithSettings, waitForStatus } from './journey';
import { pngFile, upload } from './documents';
import { expectStatus, fullPerson, readyForKyb, waitForOrganization } from './organization-journey';
import { enrol, platformAdmin, type EnrolledStaff } from './staff';
import type { TenantSession } from './tenant-client';

/** A staff account enrolled (password and TOTP set) and never signed in. */
export async function enrolledStaff(h: Harness, roles: StaffRole[]): Promise<EnrolledStaff> {
  const admin = await platformAdmin(h);
  const email = `reviewer.${randomBytes(4).toString('hex')}@bank.example`;
  const created = await admin.call('POST', '/api/v2.1/admin/staff', { email, roles });
  if (created.status !== 201) throw new Error(`staff account: ${created.status} ${JSON.stringify(created.body)}`);
  const staff = await enrol(h, created.body.staffId, email, created.body.setupToken);
  // Enrolment confirmed with the code of the current step: that step is spent.
  lastStep.set(staff.totpSecret, stepAt(Date.now()));
  return staff;
}

const STEP_MS = 30_000;
const stepAt = (ms: number) => Math.floor(ms / STEP_MS);
const lastStep = new Map<string, number>();

/**
 * The code an authenticator app would show for a step the server has not accepted yet (a code is accepted one step
 * either side of now, once): the next unused step, waiting for it to come within the window when it must.
 */
export async function freshTotp(staff: EnrolledStaff): Promise<string> {
  const step = (lastStep.get(staff.totpSecret) ?? stepAt(Date.now()) - 2) + 1;
  for (;;) {
    const now = Date.now();
    if (step < stepAt(now) - 1) return freshTotpFrom(staff, stepAt(now) - 1);
    if (step <= stepAt(now) + 1) return freshTotpFrom(staff, step);
    await new Promise((resolve) => setTimeout(resolve, (step - 1) * STEP_MS - now + 50));
  }
}

function freshTotpFrom(staff: EnrolledStaff, step: number): string {
  lastStep.set(staff.totpSecret, step);
  return currentTotp(staff.totpSecret, step * STEP_MS + STEP_MS / 2);
}

export interface BackofficeStaff {
  reviewer: EnrolledStaff;
  secondReviewer: EnrolledStaff;
  operator: EnrolledStaff;
}

/** Two compliance officers (four-eyes needs two) and an operator. */
export async function backofficeStaff(h: Harness): Promise<BackofficeStaff> {
  const [reviewer, secondReviewer, operator] = await Promise.all([
    enrolledStaff(h, ['COMPLIANCE_OFFICER']),
    enrolledStaff(h, ['COMPLIANCE_OFFICER']),
    enrolledStaff(h, ['OPERATOR']),
  ]);
  return { reviewer, secondReviewer, operator };
}

/** A tenant whose rejections wait for a second compliance officer. */
export const fourEyesTenant = (h: Harness) => tenantWithSettings(h, { fourEyes: { rejections: true } });

/** An individual the KYC sandbox sent to manual review (`Review` as last name), waiting on a KYC decision. */
export async function individualInManualReview(h: Harness, tenant: TenantSession, overrides: Record<string, unknown> = {}) {
  const customer = await readyForKyc(h, tenant, { lastName: 'Review', ...overrides });
  await expectStatus(tenant.call('POST', `${customer.path}/verification`), 202);
  await waitForStatus(tenant, customer.path, 'MANUAL_REVIEW');
  return customer;
}

/** An organization in MANUAL_REVIEW: a director the KYC sandbox rejects (`Reject` as last name). */
export async function organizationInReview(h: Harness, tenant: TenantSession, overrides: Record<string, unknown> = {}) {
  const org = await readyForKyb(h, tenant, overrides);
  await expectStatus(tenant.call('POST', `${org.path}/directors`, fullPerson('Dora', 'Reject')), 201);
  await expectStatus(tenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`), 202);
  await waitForOrganization(tenant, org, 'MANUAL_REVIEW');
  return org;
}

/** A PNG identity document uploaded by the customer's tenant: UPLOADED, waiting on staff. */
export async function documentAwaitingReview(h: Harness, tenant: TenantSession, customerId: string, type = 'PASSPORT') {
  const bytes = pngFile(64, 48);
  const uploaded = await expectStatus(upload(h, tenant, customerId, { bytes, fileName: 'passport.png', contentType: 'image/png', fields: { type } }), 201);
  return { documentId: uploaded.documentId as string, bytes };
}
