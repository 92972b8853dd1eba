/**
 * An organization's journey over HTTP, as a tenant's backend drives it: registration, the representative's code,
 * consents, people, owners and documents, KYB, and what staff do. Shared by the organization journey tests.
 */
import { randomBytes } from 'node:crypto';
import type { Harness } from './harness';
import { waitForEmails } from './inbox';
import { CONSENTS, codeIn } from './journey';
import { organizationRegistration } from './organizations';
import { pdfFile, upload } from './documents';
import { staffHeaders } from './staff';
import { http, uniqueEmail, type HttpResult, type TenantSession } from './tenant-client';

export interface JourneyOrganization {
  id: string;
  path: string;
  /** The representative's e-mail (codes and notices). */
  email: string;
  body: Record<string, any>;
}

/** Who KYC's sandbox approves: full details, an ordinary last name (`Reject` as last name is rejected). */
export const fullPerson = (firstName: string, lastName = 'Example', overrides: Record<string, unknown> = {}) => ({
  firstName,
  lastName,
  email: uniqueEmail(firstName.toLowerCase()),
  dateOfBirth: '1980-04-12',
  nationality: 'GBR',
  countryOfResidence: 'GBR',
  ...overrides,
});

export async function expectStatus(res: Promise<HttpResult> | HttpResult, status: number): Promise<any> {
  const answer = await res;
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export async function registerOrganization(tenant: TenantSession, overrides: Record<string, unknown> = {}): Promise<JourneyOrganization> {
  const suffix = randomBytes(4).toString('hex');
  const body = organizationRegistration(overrides);
  if (overrides.businessName === undefined) body.businessName = `Journey Ltd ${suffix}`;
  const created = await expectStatus(tenant.call('POST', '/api/v2.1/customer/organization/registration', body), 201);
  return { id: created.organizationId, path: `/api/v2.1/customer/${created.organizationId}`, email: body.representative.email, body };
}

/** The representative's code and the tenant's required consents: what the workflow itself waits for. */
export async function verifyAndConsent(h: Harness, tenant: TenantSession, org: JourneyOrganization): Promise<void> {
  const emails = await waitForEmails(h.infra.inboxUrl, org.email, 1);
  const code = codeIn(emails.filter((e) => e.subject === 'Your verification code').at(-1)!.text);
  await expectStatus(tenant.call('POST', `${org.path}/verify-email`, { code }), 200);
  for (const type of CONSENTS) await expectStatus(tenant.call('POST', `${org.path}/consents/${type}`, { accepted: true, version: '2026-01' }), 201);
}

export const uploadCertificate = async (h: Harness, tenant: TenantSession, org: JourneyOrganization) =>
  expectStatus(upload(h, tenant, org.id, { bytes: pdfFile(), fileName: 'certificate.pdf', contentType: 'application/pdf', fields: { type: 'CERTIFICATE_OF_INCORPORATION' } }), 201);

/**
 * The smallest organization KYB may start on: its representative is its only director and owns it all (one
 * person to verify), and the certificate of incorporation is uploaded.
 */
export async function readyForKyb(h: Harness, tenant: TenantSession, overrides: Record<string, unknown> = {}) {
  const org = await registerOrganization(tenant, overrides);
  await verifyAndConsent(h, tenant, org);
  const rep = org.body.representative;
  const details = { ...fullPerson(rep.firstName, rep.lastName), email: rep.email };
  const director = await expectStatus(tenant.call('POST', `${org.path}/directors`, details), 201);
  await expectStatus(tenant.call('POST', `${org.path}/shareholders`, { kind: 'PERSON', ...details, ownershipPercent: 100 }), 201);
  await uploadCertificate(h, tenant, org);
  return { ...org, representativeId: director.partyId as string };
}

export async function waitForOrganization(tenant: TenantSession, org: JourneyOrganization, status: string, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await tenant.call('GET', `${org.path}/onboarding`);
    if (res.body.status === status) return res.body;
    if (Date.now() > deadline) throw new Error(`expected ${status}, still ${JSON.stringify(res.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Polls GET onboarding until `accept` holds for its body. */
export async function waitForOnboarding(tenant: TenantSession, org: JourneyOrganization, accept: (body: any) => boolean, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await tenant.call('GET', `${org.path}/onboarding`);
    if (accept(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`condition never held: ${JSON.stringify(res.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const compliance = (h: Harness) => staffHeaders(h, 'COMPLIANCE_OFFICER');

/** Compliance staff's decision on an organization in MANUAL_REVIEW. */
export const reviewDecision = async (h: Harness, org: JourneyOrganization, decision: 'APPROVE' | 'REJECT', reason = 'Reviewed the registry extract') =>
  http(h.api.url, 'POST', `/api/v2.1/admin/organizations/${org.id}/review-decision`, { body: { decision, reason }, headers: await compliance(h) });

/** Compliance staff's decision on the KYB child's own manual review. */
export const kybDecision = async (h: Harness, org: JourneyOrganization, decision: 'APPROVE' | 'REJECT', reason = 'Adverse media cleared') =>
  http(h.api.url, 'POST', `/api/v2.1/admin/organizations/${org.id}/kyb-decision`, { body: { decision, reason }, headers: await compliance(h) });
