/**
 * The tenancy issue's "done when" for staff, end to end: a compliance officer signs in with password + TOTP and
 * decides a manual review; the decision and the audit trail name that officer, from the session; the tenant can
 * neither decide nor rewrite who did; no staff route opens to a tenant token or to a password without its TOTP.
 */
import { currentTotp } from '../../api/auth/totp';
import { verifyAuditChain } from '../../api/audit/verify';
import { startHarness, type Harness } from '../support/harness';
import { readyForKyc, waitForStatus } from '../support/journey';
import { newStaffSession } from '../support/staff';
import { createTenant, http, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('tenancy-acceptance');
  tenant = await createTenant(h, 'Acceptance Bank');
});
afterAll(() => h?.close());

it('a compliance officer signed in with TOTP decides a manual review; the trail names that officer and the tenant cannot change it', async () => {
  const officer = await newStaffSession(h, ['COMPLIANCE_OFFICER']);

  // A password alone opens nothing: no session without the second factor.
  const passwordOnly = await http(h.api.url, 'POST', '/api/v2.1/staff/auth/login', { body: { email: officer.email, password: officer.password } });
  expect(passwordOnly.status).not.toBe(200);
  expect(passwordOnly.body).not.toHaveProperty('token');
  const wrongCode = await http(h.api.url, 'POST', '/api/v2.1/staff/auth/login', {
    body: { email: officer.email, password: officer.password, totp: currentTotp(officer.totpSecret, Date.now() - 300_000) },
  });
  expect(wrongCode.status).toBe(401);

  const customer = await readyForKyc(h, tenant, { lastName: 'Review' });
  await tenant.call('POST', `${customer.path}/verification`);
  await waitForStatus(tenant, customer.path, 'MANUAL_REVIEW');
  const decisionPath = `/api/v2.1/admin/customers/${customer.customerId}/kyc-decision`;

  // The tenant's own token is not a staff session: 401, and the case stays in review.
  const byTenant = await tenant.call('POST', decisionPath, { decision: 'APPROVE', reason: 'The tenant approves itself' });
  expect(byTenant.status).toBe(401);
  expect((await tenant.call('GET', `${customer.path}/onboarding`)).body.status).toBe('MANUAL_REVIEW');

  const decided = await http(h.api.url, 'POST', decisionPath, {
    body: { decision: 'APPROVE', reason: 'Documents checked by hand' },
    headers: { ...officer.headers, 'x-request-id': 'req-acceptance-officer-decision' },
  });
  expect(decided.status).toBe(200);
  expect(decided.body).toMatchObject({ status: 'KYC_APPROVED' });

  // Who decided is the session's officer, in the verification and in the audit trail.
  const verification = await h.db('kyc_verifications').where({ tenant_id: tenant.tenantId, customer_id: customer.customerId }).first();
  expect(verification).toMatchObject({ status: 'APPROVED', reviewer: `staff:${officer.staffId}` });
  const [row] = await h.db('audit_events').where({ request_id: 'req-acceptance-officer-decision' });
  expect(row).toMatchObject({
    actor_type: 'staff',
    actor_id: officer.staffId,
    action: 'POST /api/v2.1/admin/customers/{customerId}/kyc-decision',
    target_id: customer.customerId,
    tenant_id: tenant.tenantId,
    status: 200,
  });

  // The tenant reads the row in its own trail, under a pseudonym, and has no way to alter it: the table itself
  // refuses a rewrite, and the chain still verifies.
  const trail = await tenant.call('GET', '/api/v2.1/audit');
  expect(trail.status).toBe(200);
  const seen = trail.body.data.find((e: { requestId: string }) => e.requestId === 'req-acceptance-officer-decision');
  expect(seen).toMatchObject({ actor: { type: 'staff' }, status: 200 });
  expect(JSON.stringify(trail.body)).not.toContain(officer.staffId);
  await expect(h.db('audit_events').where({ id: row.id }).update({ actor_id: 'someone-else' })).rejects.toThrow();
  expect(await verifyAuditChain(h.db)).toMatchObject({ intact: true });
});
