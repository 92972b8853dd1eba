/**
 * Compliance blocks: a compliance officer blocks a customer (individual or organization) and only a compliance
 * officer lifts that block; the tenant's status routes refuse to move the customer out of it and change nothing.
 * The status history names who did each change: the officer (from the session) or the tenant's credential.
 */
import { expectValidationError } from '../support/expectations';
import { startHarness, type Harness } from '../support/harness';
import { readyForKyc, register, waitForStatus } from '../support/journey';
import { createOrganization } from '../support/organizations';
import { BODY_REVIEWER, staffActorLabel } from '../support/staff-actor';
import { createTenant, http, type TenantSession } from '../support/tenant-client';
import { staffHeaders } from '../support/staff';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('compliance_blocks');
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

const officer = () => staffHeaders(h, 'COMPLIANCE_OFFICER');
const asOfficer = async (action: 'block' | 'unblock', customerId: string, body: unknown = { reason: `${action} for the test` }) =>
  http(h.api.url, 'POST', `/api/v2.1/admin/customers/${customerId}/${action}`, { body, headers: await officer() });

const customerRow = (id: string) => h.db('customers').where({ id }).first('status', 'blocked_by');
const historyOf = (id: string) => h.db('customer_status_history').where({ customer_id: id }).orderBy('id').select('status', 'reason', 'actor');

/** An individual taken through its onboarding to ACTIVE: its workflow has ended, as for any customer after activation. */
async function activeIndividual(): Promise<string> {
  const customer = await readyForKyc(h, tenant);
  await tenant.call('POST', `${customer.path}/verification`);
  await waitForStatus(tenant, customer.path, 'KYC_APPROVED');
  expect((await tenant.call('POST', `${customer.path}/activation`)).body.status).toBe('ACTIVE');
  return customer.customerId;
}

describe('a compliance block on an individual', () => {
  it('is lifted by the officer only: the tenant cannot unblock or close it, and the history names each actor', async () => {
    const customerId = await activeIndividual();
    const tenantActor = `tenant:oauth:${tenant.clientId}`;
    expect((await tenant.call('PUT', `/v2/persons/${customerId}/SUSPENDED`)).status).toBe(200);

    const blocked = await asOfficer('block', customerId, { reason: 'Sanctions list match under investigation' });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toEqual({ customerId, customerType: 'INDIVIDUAL', status: 'BLOCKED', blockedBy: 'COMPLIANCE' });

    // The tenant's status route cannot move the customer out of the block, to any status; nothing changes.
    const before = await historyOf(customerId);
    for (const target of ['ACTIVE', 'CLOSED', 'SUSPENDED']) {
      const refused = await tenant.call('PUT', `/v2/persons/${customerId}/${target}`);
      expect(refused.status).toBe(409);
      expect(refused.body).toEqual({
        error: 'INVALID_STATE',
        message: 'The customer is blocked by compliance; only a compliance officer can lift the block',
        details: [{ field: 'status', message: 'BLOCKED' }, { field: 'blockedBy', message: 'COMPLIANCE' }],
      });
    }
    expect(await customerRow(customerId)).toEqual({ status: 'BLOCKED', blocked_by: 'COMPLIANCE' });
    expect(await historyOf(customerId)).toEqual(before);

    const unblocked = await asOfficer('unblock', customerId, { reason: 'Cleared: a different person' });
    expect(unblocked.body).toEqual({ customerId, customerType: 'INDIVIDUAL', status: 'ACTIVE', blockedBy: null });
    expect(await customerRow(customerId)).toEqual({ status: 'ACTIVE', blocked_by: null });
    expect((await historyOf(customerId)).slice(-3)).toEqual([
      { status: 'SUSPENDED', reason: 'Changed by the tenant', actor: tenantActor },
      { status: 'BLOCKED', reason: 'Sanctions list match under investigation', actor: (await staffActorLabel(h)) },
      { status: 'ACTIVE', reason: 'Cleared: a different person', actor: (await staffActorLabel(h)) },
    ]);

    // Staff read who did what; the tenant reads statuses only.
    const staffView = await http(h.api.url, 'GET', `/api/v2.1/admin/customers/${customerId}/verification-history`, { headers: await officer() });
    expect(staffView.body.data.statuses.slice(-2)).toEqual([
      expect.objectContaining({ status: 'BLOCKED', actor: (await staffActorLabel(h)), reason: 'Sanctions list match under investigation' }),
      expect.objectContaining({ status: 'ACTIVE', actor: (await staffActorLabel(h)) }),
    ]);
    const tenantView = await tenant.call('GET', `/v2/verification-history/${customerId}`);
    expect(JSON.stringify(tenantView.body)).not.toMatch(/Sanctions|actor|staff:/);

    // Lifted, the customer is the tenant's to manage again.
    expect((await tenant.call('PUT', `/v2/persons/${customerId}/SUSPENDED`)).status).toBe(200);
  });
});

describe("a tenant's own block and compliance's", () => {
  it('stay apart: the tenant lifts its own block; compliance takes it over, and then only the officer lifts it', async () => {
    const { organizationId } = await createOrganization(h, tenant.tenantId, 'ACTIVE');
    const tenantActor = `tenant:oauth:${tenant.clientId}`;

    expect((await tenant.call('PUT', `/v2/organization/${organizationId}/BLOCKED`)).status).toBe(200);
    expect(await customerRow(organizationId)).toEqual({ status: 'BLOCKED', blocked_by: 'TENANT' });
    // Not compliance's block: the officer has none to lift, and the tenant lifts its own.
    const notOurs = await asOfficer('unblock', organizationId);
    expect(notOurs.status).toBe(409);
    expect(notOurs.body).toMatchObject({ error: 'INVALID_STATE', details: [{ field: 'status', message: 'BLOCKED' }, { field: 'blockedBy', message: 'TENANT' }] });
    expect((await tenant.call('PUT', `/v2/organization/${organizationId}/ACTIVE`)).status).toBe(200);
    expect((await tenant.call('PUT', `/v2/organization/${organizationId}/BLOCKED`)).status).toBe(200);

    const takenOver = await asOfficer('block', organizationId, { reason: 'Registry shows the company dissolved' });
    expect(takenOver.body).toEqual({ customerId: organizationId, customerType: 'ORGANIZATION', status: 'BLOCKED', blockedBy: 'COMPLIANCE' });
    const refused = await tenant.call('PUT', `/v2/organization/${organizationId}/ACTIVE`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe('The organization is blocked by compliance; only a compliance officer can lift the block');
    expect(await customerRow(organizationId)).toEqual({ status: 'BLOCKED', blocked_by: 'COMPLIANCE' });
    const again = await asOfficer('block', organizationId);
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('The customer is already blocked by compliance');

    expect((await asOfficer('unblock', organizationId, { reason: 'Registry corrected' })).body.status).toBe('ACTIVE');
    expect((await historyOf(organizationId)).map((row) => [row.status, row.actor])).toEqual([
      ['BLOCKED', tenantActor],
      ['ACTIVE', tenantActor],
      ['BLOCKED', tenantActor],
      ['BLOCKED', (await staffActorLabel(h))],
      ['ACTIVE', (await staffActorLabel(h))],
    ]);
  });

  it('the database keeps whose block it is exactly while the customer is BLOCKED', async () => {
    const { organizationId } = await createOrganization(h, tenant.tenantId, 'ACTIVE');
    await expect(h.db('customers').where({ id: organizationId }).update({ status: 'BLOCKED' })).rejects.toMatchObject({ constraint: 'customers_blocked_by_check' });
    await expect(h.db('customers').where({ id: organizationId }).update({ blocked_by: 'COMPLIANCE' })).rejects.toMatchObject({ constraint: 'customers_blocked_by_check' });
    await expect(h.db('customers').where({ id: organizationId }).update({ status: 'BLOCKED', blocked_by: 'SOMEONE' })).rejects.toMatchObject({ constraint: 'customers_blocked_by_check' });
    expect(await customerRow(organizationId)).toEqual({ status: 'ACTIVE', blocked_by: null });
  });
});

describe('refusals', () => {
  it('a customer still onboarding, or closed, is not blocked (409); nothing is written', async () => {
    const onboarding = await register(tenant);
    const early = await asOfficer('block', onboarding.customerId);
    expect(early.status).toBe(409);
    expect(early.body).toEqual({ error: 'INVALID_STATE', message: expect.stringContaining('only an active, suspended or blocked one'), details: [{ field: 'status', message: 'PENDING_EMAIL_VERIFICATION' }] });
    const { organizationId } = await createOrganization(h, tenant.tenantId, 'CLOSED');
    expect((await asOfficer('block', organizationId)).status).toBe(409);
    expect(await historyOf(organizationId)).toEqual([]);
  });

  it('a reason is required, the body cannot name an actor, ids are checked: 400; unknown customers 404', async () => {
    const { organizationId } = await createOrganization(h, tenant.tenantId, 'ACTIVE');
    expectValidationError(await asOfficer('block', organizationId, {}), 'reason', 'Required');
    expectValidationError(await asOfficer('block', organizationId, { reason: 'x' }), 'reason');
    expectValidationError(await asOfficer('block', organizationId, { reason: 'Fraud ring', ...BODY_REVIEWER }), 'reviewer', 'Unknown field');
    expectValidationError(await asOfficer('unblock', organizationId, { reason: 'Cleared', actor: 'staff:someone-else' }), 'actor', 'Unknown field');
    expectValidationError(await asOfficer('block', 'tnt_000000000000000000000000'), 'customerId');
    expect(await customerRow(organizationId)).toEqual({ status: 'ACTIVE', blocked_by: null });
    const unknown = await asOfficer('block', 'cust_000000000000000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: 'NOT_FOUND', message: 'Customer not found' });
  });

  it('a tenant credential is not staff: 401, and the block stays', async () => {
    const { organizationId } = await createOrganization(h, tenant.tenantId, 'ACTIVE');
    expect((await asOfficer('block', organizationId)).status).toBe(200);
    for (const action of ['block', 'unblock']) {
      const res = await tenant.call('POST', `/api/v2.1/admin/customers/${organizationId}/${action}`, { reason: 'The tenant tries' });
      expect(res.status).toBe(401);
    }
    expect(await customerRow(organizationId)).toEqual({ status: 'BLOCKED', blocked_by: 'COMPLIANCE' });
  });

  it('the routes declare COMPLIANCE_OFFICER as the only staff role that may call them', async () => {
    const { body: document } = await http(h.api.url, 'GET', '/openapi.json');
    for (const action of ['block', 'unblock']) {
      const operation = document.paths[`/api/v2.1/admin/customers/{customerId}/${action}`].post;
      expect(operation.description).toBe('Staff roles: COMPLIANCE_OFFICER.');
      expect(operation.security).toEqual([{ staffSession: [] }]);
    }
  });
});

describe('migrations', () => {
  it('roll back and forward; blocks from before the column are the tenant’s', async () => {
    const { migrationSource } = await import('../../migrations');
    const { organizationId } = await createOrganization(h, tenant.tenantId, 'ACTIVE');
    expect((await asOfficer('block', organizationId)).status).toBe(200);
    for (const name of ['20261127009600_customers_blocked_by', '20261127009500_status_history_actor']) {
      await h.db.migrate.down({ migrationSource, name });
    }
    expect(await h.db.schema.hasColumn('customers', 'blocked_by')).toBe(false);
    expect(await h.db.schema.hasColumn('customer_status_history', 'actor')).toBe(false);
    await h.db.migrate.latest({ migrationSource });
    expect(await customerRow(organizationId)).toEqual({ status: 'BLOCKED', blocked_by: 'TENANT' });
    expect(await historyOf(organizationId)).toEqual([{ status: 'BLOCKED', reason: 'block for the test', actor: null }]);
  });
});
