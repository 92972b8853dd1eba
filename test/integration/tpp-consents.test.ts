/**
 * Customers' TPP consents over HTTP: grant (a workflow per grant), list, read and revoke, by the tenant or by the
 * customer's own session; every documented 400, 404 and 409 of the grant; another customer's or tenant's consent
 * a 404 on every route.
 */
import { Client, Connection } from '@temporalio/client';
import { createTppConsents } from '../../api/tpp/consents';
import { login } from '../support/customer-session';
import { startHarness, type Harness } from '../support/harness';
import { activeCustomer, register } from '../support/journey';
import type { TenantSession } from '../support/tenant-client';
import { consentsOf, enterpriseTenant, inDays, inSeconds, registerTpp, tppConsentWorkflow } from '../support/tpp';

let h: Harness;
let tenant: TenantSession;
let other: TenantSession;
let alice: { customerId: string; email: string };
let bob: { customerId: string; email: string };
let tpp: string;

beforeAll(async () => {
  h = await startHarness('tpp_consents');
  tenant = await enterpriseTenant(h);
  other = await enterpriseTenant(h, 'Other Bank');
  [alice, bob] = await Promise.all([activeCustomer(h, tenant), activeCustomer(h, tenant)]);
  tpp = await registerTpp(tenant, { roles: ['AISP'] });
}, 120_000);
afterAll(() => h?.close());

const grantBody = (overrides: Record<string, unknown> = {}) => ({ tpp_id: tpp, scopes: ['ACCOUNTS_READ', 'BALANCES_READ'], expires_at: inDays(90), ...overrides });
const grant = async (customerId: string, overrides: Record<string, unknown> = {}) => {
  const res = await tenant.call('POST', consentsOf(customerId), grantBody(overrides));
  if (res.status !== 201) throw new Error(`grant: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.id as string;
};

describe('granting', () => {
  it('answers 201 with the ACTIVE consent, stores it and starts its expiry workflow', async () => {
    const expiresAt = inDays(90);
    const res = await tenant.call('POST', consentsOf(alice.customerId), grantBody({ expires_at: expiresAt }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      data: {
        id: expect.stringMatching(/^tpc_[0-9a-f]{24}$/),
        customer_id: alice.customerId,
        tpp_id: tpp,
        scopes: ['ACCOUNTS_READ', 'BALANCES_READ'],
        status: 'ACTIVE',
        expires_at: expiresAt,
        created_at: expect.any(String),
        created_by: expect.stringMatching(/^tenant:oauth:cli_/),
        revoked_at: null,
        revoked_by: null,
      },
    });
    const id = res.body.data.id;
    expect(await h.db('tpp_consents').where({ id }).first()).toMatchObject({ tenant_id: tenant.tenantId, customer_id: alice.customerId, status: 'ACTIVE' });
    const run = await tppConsentWorkflow(h, tenant.tenantId, id).describe();
    expect(run.status.name).toBe('RUNNING');
    expect(run.type).toBe('tppConsent');
  });

  it.each([
    ['scopes', { scopes: ['PAYMENTS_INITIATE'] }, 'PAYMENTS_INITIATE needs the PISP role, which the TPP does not hold'],
    ['scopes', { scopes: ['ACCOUNTS_READ', 'FUNDS_CONFIRMATION'] }, 'FUNDS_CONFIRMATION needs the CBPII role, which the TPP does not hold'],
    ['expires_at', { expires_at: inSeconds(-60) }, 'Must be in the future'],
    ['expires_at', { expires_at: inDays(181) }, 'Must be at most 180 days ahead'],
    ['expires_at', { expires_at: 'tomorrow' }, undefined],
    ['scopes', { scopes: [] }, undefined],
    ['scopes', { scopes: ['ACCOUNTS_READ', 'ACCOUNTS_READ'] }, undefined],
    ['scopes.0', { scopes: ['EVERYTHING'] }, undefined],
    ['tpp_id', { tpp_id: 'acme' }, undefined],
    ['tpp_id', { tpp_id: undefined }, undefined],
  ])('answers 400 naming %s for %j, and stores nothing', async (field, change, message) => {
    const before = await h.db('tpp_consents').where({ customer_id: alice.customerId }).count<[{ count: string }]>('* as count');
    const res = await tenant.call('POST', consentsOf(alice.customerId), grantBody(change));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('VALIDATION_ERROR');
    expect(res.body.details).toContainEqual({ field, message: message ?? expect.any(String) });
    expect(await h.db('tpp_consents').where({ customer_id: alice.customerId }).count('* as count')).toEqual(before);
  });

  it("answers 404 for a TPP that is missing or another tenant's, and for another tenant's customer", async () => {
    const foreignTpp = await registerTpp(other, { roles: ['AISP'] });
    for (const tppId of [foreignTpp, 'tpp_000000000000000000000000']) {
      expect(await tenant.call('POST', consentsOf(alice.customerId), grantBody({ tpp_id: tppId }))).toMatchObject({ status: 404, body: { error: 'NOT_FOUND', message: 'TPP not found' } });
    }
    const res = await other.call('POST', consentsOf(alice.customerId), grantBody({ tpp_id: foreignTpp }));
    expect(res).toMatchObject({ status: 404, body: { error: 'NOT_FOUND', message: 'Customer not found' } });
  });

  it('answers 409 INVALID_STATE for a customer not ACTIVE, and 409 CONFLICT for a TPP not ACTIVE', async () => {
    const pending = await register(tenant);
    const res = await tenant.call('POST', consentsOf(pending.customerId), grantBody());
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: 'INVALID_STATE', message: 'Only an ACTIVE customer can grant a TPP access', details: [{ field: 'status', message: 'PENDING_EMAIL_VERIFICATION' }] });

    const suspended = await registerTpp(tenant, { roles: ['AISP'] });
    await tenant.call('PATCH', `/v2/customer/tpps/${suspended}`, { status: 'SUSPENDED' });
    const refused = await tenant.call('POST', consentsOf(alice.customerId), grantBody({ tpp_id: suspended }));
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ error: 'CONFLICT', message: 'The TPP is SUSPENDED: only an ACTIVE TPP can be granted access' });
    expect(await h.db('tpp_consents').whereIn('customer_id', [pending.customerId]).orWhere({ tpp_id: suspended })).toEqual([]);
  });
  it('records nothing when the expiry workflow cannot be started: 503, no row left ACTIVE without its timer', async () => {
    // A real client to a Temporal frontend that is not there: the start fails as in an outage.
    const connection = await Connection.connect({ address: '127.0.0.1:1', connectTimeout: 200 }).catch(() => undefined);
    const unreachable = new Client({ connection: connection ?? Connection.lazy({ address: '127.0.0.1:1' }) });
    const consents = createTppConsents({ db: h.db, temporal: unreachable, taskQueue: 'nowhere', callTimeoutMs: 500 });
    const before = await h.db('tpp_consents').where({ customer_id: alice.customerId }).select('id');
    await expect(consents.grant(tenant.tenantId, alice.customerId, { tpp_id: tpp, scopes: ['ACCOUNTS_READ'], expires_at: inDays(1) }, 'tenant:test')).rejects.toMatchObject({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(await h.db('tpp_consents').where({ customer_id: alice.customerId }).select('id')).toEqual(before);
  });
});

describe('listing, reading and revoking', () => {
  it("lists a customer's consents newest first, by status, in cursor pages; reads one", async () => {
    const first = await grant(bob.customerId);
    const second = await grant(bob.customerId, { scopes: ['TRANSACTIONS_READ'] });
    const third = await grant(bob.customerId);
    expect((await tenant.call('DELETE', `${consentsOf(bob.customerId)}/${second}`)).status).toBe(200);

    const all = await tenant.call('GET', consentsOf(bob.customerId));
    expect(all.status).toBe(200);
    expect(all.body.data.map((c: { id: string }) => c.id)).toEqual([third, second, first]);
    const ids = async (query: string) => (await tenant.call('GET', `${consentsOf(bob.customerId)}?${query}`)).body.data.map((c: { id: string }) => c.id);
    expect(await ids('status=REVOKED')).toEqual([second]);
    expect(await ids('status=ACTIVE')).toEqual([third, first]);
    const page = await tenant.call('GET', `${consentsOf(bob.customerId)}?limit=2`);
    expect(page.body.data).toHaveLength(2);
    const rest = await tenant.call('GET', `${consentsOf(bob.customerId)}?limit=2&cursor=${page.body.next_cursor}`);
    expect(rest.body).toEqual({ data: [expect.objectContaining({ id: first })], next_cursor: null });

    const one = await tenant.call('GET', `${consentsOf(bob.customerId)}/${second}`);
    expect(one.status).toBe(200);
    expect(one.body.data).toMatchObject({ id: second, scopes: ['TRANSACTIONS_READ'], status: 'REVOKED' });
    expect((await tenant.call('GET', `${consentsOf(bob.customerId)}?status=LOST`)).status).toBe(400);
  });

  it('revokes: 200 with REVOKED, revoked_at and revoked_by; a second revocation is 409', async () => {
    const id = await grant(alice.customerId);
    const res = await tenant.call('DELETE', `${consentsOf(alice.customerId)}/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id, status: 'REVOKED', revoked_at: expect.any(String), revoked_by: expect.stringMatching(/^tenant:oauth:cli_/) });
    expect(await h.db('tpp_consents').where({ id }).first()).toMatchObject({ status: 'REVOKED', revoked_by: res.body.data.revoked_by });
    const again = await tenant.call('DELETE', `${consentsOf(alice.customerId)}/${id}`);
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: 'CONFLICT', message: 'The consent is already REVOKED' });
  });

  it("answers 404 for another customer's or another tenant's consent on every route, and changes nothing", async () => {
    const id = await grant(alice.customerId);
    const asBob = `${consentsOf(bob.customerId)}/${id}`;
    const asAlice = `${consentsOf(alice.customerId)}/${id}`;
    const checks: Array<[TenantSession, string, string, unknown?]> = [
      [tenant, 'GET', asBob],
      [tenant, 'DELETE', asBob],
      [tenant, 'POST', `${asBob}/authorization`, { tpp_id: tpp, scope: 'ACCOUNTS_READ' }],
      [other, 'GET', asAlice],
      [other, 'DELETE', asAlice],
      [other, 'POST', `${asAlice}/authorization`, { tpp_id: tpp, scope: 'ACCOUNTS_READ' }],
      [other, 'GET', consentsOf(alice.customerId)],
      [tenant, 'GET', `${consentsOf(alice.customerId)}/tpc_000000000000000000000000`],
    ];
    for (const [who, method, path, body] of checks) {
      const res = await who.call(method, path, body);
      expect([method, path, res.status, res.body.error]).toEqual([method, path, 404, 'NOT_FOUND']);
    }
    expect(await h.db('tpp_consents').where({ id }).first()).toMatchObject({ status: 'ACTIVE' });
  });
});

describe("the customer's own session", () => {
  it('grants, lists and revokes its own consents, and reaches no other customer', async () => {
    const session = await login(h, tenant.tenantId, alice.email);
    const granted = await session.call('POST', consentsOf(alice.customerId), grantBody({ scopes: ['TRANSACTIONS_READ'] }));
    expect(granted.status).toBe(201);
    expect(granted.body.data.created_by).toBe(`customer:${alice.customerId}`);
    const id = granted.body.data.id;
    expect((await session.call('GET', consentsOf(alice.customerId))).body.data.map((c: { id: string }) => c.id)).toContain(id);

    const revoked = await session.call('DELETE', `${consentsOf(alice.customerId)}/${id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.data).toMatchObject({ status: 'REVOKED', revoked_by: `customer:${alice.customerId}` });

    expect((await session.call('GET', consentsOf(bob.customerId))).status).toBe(404);
    expect((await session.call('POST', consentsOf(bob.customerId), grantBody())).status).toBe(404);
    // The authorization check is the tenant's gateway's: a customer session is no credential there.
    expect((await session.call('POST', `${consentsOf(alice.customerId)}/${id}/authorization`, { tpp_id: tpp, scope: 'ACCOUNTS_READ' })).status).toBe(401);
  });
});
