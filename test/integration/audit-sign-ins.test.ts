/**
 * Sign-ins in the audit trail: a public route that opens a session records its success with the signed-in
 * customer or staff member as actor (and no credential in the row); a refused sign-in has no actor and leaves no row.
 */
import { startHarness, type Harness } from '../support/harness';
import { AUTH, PASSWORD } from '../support/customer-session';
import { register } from '../support/journey';
import { newStaffSession } from '../support/staff';
import { createTenant, http, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('audit_sign_ins');
  tenant = await createTenant(h, 'Sign-in Bank');
});
afterAll(() => h?.close());

const rowsOf = (requestId: string) => h.db('audit_events').where({ request_id: requestId });

it("records a customer's sign-in with the customer as actor, and no e-mail or password; a refused one leaves no row", async () => {
  const customer = await register(tenant, { password: PASSWORD });
  const signIn = (password: string, requestId: string) =>
    http(h.api.url, 'POST', `${AUTH}/login`, {
      body: { email: customer.email, password },
      headers: { 'x-tenant-id': tenant.tenantId, 'x-request-id': requestId },
    });

  const signedIn = await signIn(PASSWORD, 'req-audit-customer-sign-in');
  expect(signedIn.status).toBe(200);
  expect(signedIn.body.customerId).toBe(customer.customerId);
  const [row] = await rowsOf('req-audit-customer-sign-in');
  expect(row).toMatchObject({
    actor_type: 'customer',
    actor_id: customer.customerId,
    action: 'POST /api/v2.1/customer/auth/login',
    tenant_id: tenant.tenantId,
    status: 200,
    changes: { fields: ['email', 'password'], values: {} },
  });
  expect(JSON.stringify(row)).not.toContain(customer.email);
  expect(JSON.stringify(row)).not.toContain(PASSWORD);

  expect((await signIn('Not-the-password-1!', 'req-audit-customer-refused')).status).toBe(401);
  expect(await rowsOf('req-audit-customer-refused')).toEqual([]);
});

it("records a staff member's sign-in with that member as actor; a refused one leaves no row", async () => {
  const officer = await newStaffSession(h, ['COMPLIANCE_OFFICER']);
  const signIn = (body: Record<string, string>, requestId: string) =>
    http(h.api.url, 'POST', '/api/v2.1/staff/auth/login', { body: { email: officer.email, password: officer.password, ...body }, headers: { 'x-request-id': requestId } });

  const signedIn = await signIn({ recoveryCode: officer.recoveryCodes[0]! }, 'req-audit-staff-sign-in');
  expect(signedIn.status).toBe(200);
  expect(signedIn.body.staffId).toBe(officer.staffId);
  const [row] = await rowsOf('req-audit-staff-sign-in');
  expect(row).toMatchObject({ actor_type: 'staff', actor_id: officer.staffId, action: 'POST /api/v2.1/staff/auth/login', status: 200 });
  expect(row.changes.fields.sort()).toEqual(['email', 'password', 'recoveryCode']);
  expect(JSON.stringify(row)).not.toContain(officer.recoveryCodes[0]);

  // The same recovery code again is refused (single use): no actor, no row.
  expect((await signIn({ recoveryCode: officer.recoveryCodes[0]! }, 'req-audit-staff-refused')).status).toBe(401);
  expect(await rowsOf('req-audit-staff-refused')).toEqual([]);
});
