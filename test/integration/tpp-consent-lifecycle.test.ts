/**
 * The refusal point and the grant's workflow: a revoked grant refused at once (its workflow ends without touching
 * the row), an expired one refused by the database clock even before its timer marks it EXPIRED, a scope not
 * granted, a TPP suspended or revoked (its grants revoked with it), a customer no longer ACTIVE, another TPP's
 * grant a 404.
 */
import { startHarness, type Harness } from '../support/harness';
import { activeCustomer } from '../support/journey';
import type { TenantSession } from '../support/tenant-client';
import { consentsOf, enterpriseTenant, eventually, inDays, inSeconds, registerTpp, tppConsentWorkflow, TPPS } from '../support/tpp';

let h: Harness;
let tenant: TenantSession;
let customer: { customerId: string };
let tpp: string;

beforeAll(async () => {
  h = await startHarness('tpp_lifecycle');
  tenant = await enterpriseTenant(h);
  customer = await activeCustomer(h, tenant);
  tpp = await registerTpp(tenant, { roles: ['AISP', 'PISP'] });
}, 120_000);
afterAll(() => h?.close());

const grant = async (overrides: Record<string, unknown> = {}, customerId = customer.customerId) => {
  const res = await tenant.call('POST', consentsOf(customerId), { tpp_id: tpp, scopes: ['ACCOUNTS_READ', 'PAYMENTS_INITIATE'], expires_at: inDays(30), ...overrides });
  if (res.status !== 201) throw new Error(`grant: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { id: string; expires_at: string };
};
const authorize = (consentId: string, body: Record<string, unknown> = {}, customerId = customer.customerId) =>
  tenant.call('POST', `${consentsOf(customerId)}/${consentId}/authorization`, { tpp_id: tpp, scope: 'ACCOUNTS_READ', ...body });
const refusal = (error: string) => ({ status: 403, body: { error, message: expect.any(String) } });
const closedAs = async (consentId: string) => {
  const handle = tppConsentWorkflow(h, tenant.tenantId, consentId);
  const status = await eventually(async () => {
    const name = (await handle.describe()).status.name;
    return name === 'RUNNING' ? undefined : name;
  }, `workflow of ${consentId} to close`);
  return { status, result: await handle.result() };
};

it('allows an ACTIVE grant for a granted scope, with its expiry', async () => {
  const consent = await grant();
  const res = await authorize(consent.id, { scope: 'PAYMENTS_INITIATE' });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ data: { allowed: true, expires_at: consent.expires_at } });
});

it('refuses a revoked grant at once, and its workflow ends without touching the row', async () => {
  const consent = await grant();
  expect((await authorize(consent.id)).status).toBe(200);
  expect((await tenant.call('DELETE', `${consentsOf(customer.customerId)}/${consent.id}`)).status).toBe(200);
  expect(await authorize(consent.id)).toMatchObject(refusal('TPP_CONSENT_REVOKED'));
  expect(await closedAs(consent.id)).toEqual({ status: 'COMPLETED', result: 'REVOKED' });
  expect(await h.db('tpp_consents').where({ id: consent.id }).first()).toMatchObject({ status: 'REVOKED', expired_at: null });
});

it('refuses a grant past its expiry, and its timer marks the row EXPIRED', async () => {
  const consent = await grant({ expires_at: inSeconds(3) });
  expect((await authorize(consent.id)).status).toBe(200);
  await eventually(async () => ((await authorize(consent.id)).status === 403 ? true : undefined), 'the expiry');
  expect(await authorize(consent.id)).toMatchObject(refusal('TPP_CONSENT_EXPIRED'));
  expect(await closedAs(consent.id)).toEqual({ status: 'COMPLETED', result: 'EXPIRED' });
  expect(await h.db('tpp_consents').where({ id: consent.id }).first()).toMatchObject({ status: 'EXPIRED', expired_at: expect.any(Date) });
  const revoke = await tenant.call('DELETE', `${consentsOf(customer.customerId)}/${consent.id}`);
  expect(revoke).toMatchObject({ status: 409, body: { error: 'CONFLICT', message: 'The consent is already EXPIRED' } });
});

it('refuses an expired grant by the database clock even when its timer never ran', async () => {
  const consent = await grant({ expires_at: inSeconds(2) });
  await tppConsentWorkflow(h, tenant.tenantId, consent.id).terminate('a timer that never fires');
  await eventually(async () => ((await authorize(consent.id)).status === 403 ? true : undefined), 'the expiry');
  expect(await authorize(consent.id)).toMatchObject(refusal('TPP_CONSENT_EXPIRED'));
  // The row is still ACTIVE (nothing marked it), yet every reader sees it EXPIRED.
  expect(await h.db('tpp_consents').where({ id: consent.id }).first()).toMatchObject({ status: 'ACTIVE' });
  expect((await tenant.call('GET', `${consentsOf(customer.customerId)}/${consent.id}`)).body.data.status).toBe('EXPIRED');
  const listed = await tenant.call('GET', `${consentsOf(customer.customerId)}?status=EXPIRED`);
  expect(listed.body.data.map((c: { id: string }) => c.id)).toContain(consent.id);
  expect((await tenant.call('DELETE', `${consentsOf(customer.customerId)}/${consent.id}`)).status).toBe(409);
});

it('refuses a scope the grant does not hold, or whose role the TPP no longer has', async () => {
  const narrow = await grant({ scopes: ['ACCOUNTS_READ'] });
  expect(await authorize(narrow.id, { scope: 'BALANCES_READ' })).toMatchObject(refusal('TPP_SCOPE_NOT_GRANTED'));
  const roleTpp = await registerTpp(tenant, { roles: ['AISP', 'PISP'] });
  const wide = await grant({ tpp_id: roleTpp });
  expect((await authorize(wide.id, { tpp_id: roleTpp, scope: 'PAYMENTS_INITIATE' })).status).toBe(200);
  await tenant.call('PATCH', `${TPPS}/${roleTpp}`, { roles: ['AISP'] });
  expect(await authorize(wide.id, { tpp_id: roleTpp, scope: 'PAYMENTS_INITIATE' })).toMatchObject(refusal('TPP_SCOPE_NOT_GRANTED'));
  expect((await authorize(wide.id, { tpp_id: roleTpp, scope: 'ACCOUNTS_READ' })).status).toBe(200);
  expect((await authorize(wide.id, { tpp_id: roleTpp, scope: 'EVERYTHING' })).status).toBe(400);
});

it("answers 404 for a grant asked about by another TPP", async () => {
  const consent = await grant();
  const otherTpp = await registerTpp(tenant, { roles: ['AISP'] });
  expect(await authorize(consent.id, { tpp_id: otherTpp })).toMatchObject({ status: 404, body: { error: 'NOT_FOUND', message: 'Consent not found' } });
});

it('refuses every grant of a SUSPENDED TPP at once (TPP_NOT_ACTIVE), and allows them again once it is ACTIVE', async () => {
  const suspendable = await registerTpp(tenant, { roles: ['AISP'] });
  const consent = await grant({ tpp_id: suspendable, scopes: ['ACCOUNTS_READ'] });
  await tenant.call('PATCH', `${TPPS}/${suspendable}`, { status: 'SUSPENDED' });
  expect(await authorize(consent.id, { tpp_id: suspendable })).toMatchObject(refusal('TPP_NOT_ACTIVE'));
  expect(await h.db('tpp_consents').where({ id: consent.id }).first()).toMatchObject({ status: 'ACTIVE' });
  await tenant.call('PATCH', `${TPPS}/${suspendable}`, { status: 'ACTIVE' });
  expect((await authorize(consent.id, { tpp_id: suspendable })).status).toBe(200);
});

it("revokes a REVOKED TPP's live grants with it, and ends their workflows", async () => {
  const doomed = await registerTpp(tenant, { roles: ['AISP'] });
  const first = await grant({ tpp_id: doomed, scopes: ['ACCOUNTS_READ'] });
  const second = await grant({ tpp_id: doomed, scopes: ['BALANCES_READ'] });
  const alreadyRevoked = await grant({ tpp_id: doomed, scopes: ['ACCOUNTS_READ'] });
  await tenant.call('DELETE', `${consentsOf(customer.customerId)}/${alreadyRevoked.id}`);
  const unrelated = await grant();

  expect((await tenant.call('PATCH', `${TPPS}/${doomed}`, { status: 'REVOKED' })).status).toBe(200);
  for (const consent of [first, second]) {
    expect(await authorize(consent.id, { tpp_id: doomed })).toMatchObject(refusal('TPP_CONSENT_REVOKED'));
    expect(await h.db('tpp_consents').where({ id: consent.id }).first()).toMatchObject({ status: 'REVOKED', revoked_by: `tpp:${doomed}` });
    expect(await closedAs(consent.id)).toEqual({ status: 'COMPLETED', result: 'REVOKED' });
  }
  expect((await h.db('tpp_consents').where({ id: alreadyRevoked.id }).first()).revoked_by).toMatch(/^tenant:/);
  expect((await authorize(unrelated.id)).status).toBe(200);
});

it('refuses the grants of a customer no longer ACTIVE (TPP_CUSTOMER_NOT_ACTIVE)', async () => {
  const suspended = await activeCustomer(h, tenant);
  const consent = await grant({}, suspended.customerId);
  expect((await authorize(consent.id, {}, suspended.customerId)).status).toBe(200);
  expect((await tenant.call('PUT', `/v2/persons/${suspended.customerId}/SUSPENDED`)).status).toBe(200);
  expect(await authorize(consent.id, {}, suspended.customerId)).toMatchObject(refusal('TPP_CUSTOMER_NOT_ACTIVE'));
}, 60_000);
