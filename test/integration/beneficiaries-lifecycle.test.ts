/**
 * A beneficiary after it is added: wrong codes (the fifth ends it FAILED), nickname changes, deletion (404 after,
 * the account free again), listing with a filter and a cursor, SMS codes, and who may see it: the customer's own
 * session, never another customer or tenant.
 */
import { startHarness, type Harness } from '../support/harness';
import { login, PASSWORD } from '../support/customer-session';
import { activeCustomer, codeIn, tenantWithSettings } from '../support/journey';
import { activeCustomerWithPhone, beneficiariesOf, confirmationCode, GERMAN_IBAN, smsTo, US_ACCOUNT } from '../support/beneficiaries';
import { createTenant, http, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;
let customer: { customerId: string; email: string };
let base: string;
const PHONE = '+14155552671';

beforeAll(async () => {
  h = await startHarness('beneficiary_lifecycle');
  tenant = await tenantWithSettings(h, { resendCooldownSeconds: 2 });
  customer = await activeCustomerWithPhone(h, tenant, PHONE, { password: PASSWORD });
  base = beneficiariesOf(customer.customerId);
});
afterAll(() => h?.close());

const add = async (body: Record<string, unknown>) => {
  const res = await tenant.call('POST', base, body);
  if (res.status !== 202) throw new Error(`add: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { id: string; account_masked: string };
};
const usAccount = (accountNumber: string) => ({ ...US_ACCOUNT, account_number: accountNumber });

describe('confirmation codes', () => {
  it('counts wrong codes: each is a 400 naming code, the fifth ends the beneficiary FAILED, then 409', async () => {
    const beneficiary = await add(usAccount('70000001'));
    const right = await confirmationCode(h, customer.email, beneficiary.account_masked);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= 5; attempt++) {
      const res = await tenant.call('POST', `${base}/${beneficiary.id}/confirmation`, { code: wrong });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'VALIDATION_ERROR', details: [{ field: 'code', message: expect.stringContaining(attempt < 5 ? `${5 - attempt} tries left` : 'FAILED') }] });
    }
    expect((await tenant.call('GET', `${base}/${beneficiary.id}`)).body.data.status).toBe('FAILED');
    const late = await tenant.call('POST', `${base}/${beneficiary.id}/confirmation`, { code: right });
    expect([late.status, late.body.error]).toEqual([409, 'CONFLICT']);
  });

  it('refuses a code that is not six digits with 400 naming code', async () => {
    const beneficiary = await add(usAccount('70000002'));
    const res = await tenant.call('POST', `${base}/${beneficiary.id}/confirmation`, { code: '12ab' });
    expect([res.status, res.body.details?.[0]?.field]).toEqual([400, 'code']);
  });

  it('sends the code by SMS when asked and the customer has a phone', async () => {
    const beneficiary = await add({ ...usAccount('70000003'), confirmation_channel: 'SMS' });
    const text = await smsTo(tenant, PHONE, beneficiary.account_masked);
    expect(text).not.toContain('70000003');
    const res = await tenant.call('POST', `${base}/${beneficiary.id}/confirmation`, { code: codeIn(text) });
    expect([res.status, res.body.data.status, res.body.data.confirmation_channel]).toEqual([200, 'ACTIVE', 'SMS']);
  });
});

describe('resending the code', () => {
  it("sends a new code once the tenant's cooldown has passed; the earlier code stops working", async () => {
    const beneficiary = await add(usAccount('70000009'));
    const resendPath = `${base}/${beneficiary.id}/confirmation/resend`;
    const first = await confirmationCode(h, customer.email, beneficiary.account_masked);
    const early = await tenant.call('POST', resendPath);
    expect(early.status).toBe(429);
    expect(early.body).toEqual({ error: 'RATE_LIMIT_EXCEEDED', message: expect.stringContaining('seconds'), retryAfter: expect.any(Number) });
    expect(Number(early.headers.get('retry-after'))).toBeGreaterThan(0);

    const deadline = Date.now() + 10_000;
    let resent = early;
    while (resent.status === 429 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      resent = await tenant.call('POST', resendPath);
    }
    expect([resent.status, resent.body.data.status]).toEqual([202, 'PENDING_CONFIRMATION']);
    const second = await confirmationCode(h, customer.email, beneficiary.account_masked, 2);
    if (second !== first) expect((await tenant.call('POST', `${base}/${beneficiary.id}/confirmation`, { code: first })).status).toBe(400);
    expect((await tenant.call('POST', `${base}/${beneficiary.id}/confirmation`, { code: second })).status).toBe(200);
    const after = await tenant.call('POST', resendPath);
    expect([after.status, after.body.error]).toEqual([409, 'CONFLICT']);
  });

  it('refuses a fourth resend with 409', async () => {
    const beneficiary = await add(usAccount('70000010'));
    await h.db('beneficiaries').where({ tenant_id: tenant.tenantId, id: beneficiary.id }).update({ code_resends: 3, code_requested_at: new Date(Date.now() - 60_000) });
    const res = await tenant.call('POST', `${base}/${beneficiary.id}/confirmation/resend`);
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/at most 3 times/);
  });
});

describe('nickname and deletion', () => {
  it('changes the nickname only: any other field is a 400', async () => {
    const beneficiary = await add(usAccount('70000004'));
    const renamed = await tenant.call('PATCH', `${base}/${beneficiary.id}`, { nickname: 'Rent' });
    expect([renamed.status, renamed.body.data.nickname]).toEqual([200, 'Rent']);
    const refused = await tenant.call('PATCH', `${base}/${beneficiary.id}`, { nickname: 'Rent', name: 'Other' });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([{ field: 'name', message: 'Unknown field' }]);
    const cleared = await tenant.call('PATCH', `${base}/${beneficiary.id}`, { nickname: null });
    expect([cleared.status, cleared.body.data.nickname]).toEqual([200, null]);
  });

  it('deletes: kept as DELETED, 404 afterwards, the confirmation ended, and the account may be added again', async () => {
    const beneficiary = await add(usAccount('70000005'));
    const code = await confirmationCode(h, customer.email, beneficiary.account_masked);
    expect((await tenant.call('DELETE', `${base}/${beneficiary.id}`)).status).toBe(204);
    for (const [method, path, body] of [
      ['GET', `${base}/${beneficiary.id}`],
      ['PATCH', `${base}/${beneficiary.id}`, { nickname: 'x' }],
      ['DELETE', `${base}/${beneficiary.id}`],
      ['POST', `${base}/${beneficiary.id}/confirmation`, { code }],
    ] as const) {
      const res = await tenant.call(method, path, body);
      expect([method, res.status, res.body.error]).toEqual([method, 404, 'NOT_FOUND']);
    }
    expect(await h.db('beneficiaries').where({ tenant_id: tenant.tenantId, id: beneficiary.id }).first()).toMatchObject({ status: 'DELETED', code_hash: null });
    const workflow = await h.temporal.workflow.getHandle(`beneficiary-confirmation:${tenant.tenantId}:${beneficiary.id}`).result();
    expect(workflow).toBe('SETTLED');
    expect((await tenant.call('POST', base, usAccount('70000005'))).status).toBe(202);
  });
});

describe('listing', () => {
  it('lists newest first, by status, a page at a time; a foreign cursor is a 400', async () => {
    const listed = await tenant.call('GET', `${base}?limit=2`);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toHaveLength(2);
    const all: string[] = [];
    for (let cursor: string | null = null, pages = 0; pages < 20; pages++) {
      const page: { body: { data: Array<{ id: string }>; next_cursor: string | null } } = await tenant.call('GET', `${base}?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...page.body.data.map((b) => b.id));
      cursor = page.body.next_cursor;
      if (!cursor) break;
    }
    const rows = await h.db('beneficiaries').where({ tenant_id: tenant.tenantId, customer_id: customer.customerId }).whereNot({ status: 'DELETED' }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]);
    expect(all).toEqual(rows.map((row) => row.id));
    const failed = await tenant.call('GET', `${base}?status=FAILED`);
    expect(failed.body.data.length).toBeGreaterThan(0);
    expect(failed.body.data.every((b: { status: string }) => b.status === 'FAILED')).toBe(true);
    expect((await tenant.call('GET', `${base}?status=DELETED`)).status).toBe(400);
    const foreign = await tenant.call('GET', `${base}?cursor=ben_000000000000000000000000`);
    expect([foreign.status, foreign.body.details?.[0]?.field]).toEqual([400, 'cursor']);
  });
});

describe('who may see a beneficiary', () => {
  it("lets the customer's own session add, confirm and list its own, and nobody's else", async () => {
    const session = await login(h, tenant.tenantId, customer.email);
    const added = await session.call('POST', base, { ...GERMAN_IBAN, iban: 'IT60 X054 2811 1010 0000 0123 456', country: 'ITA', bic: undefined });
    expect(added.status).toBe(202);
    const code = await confirmationCode(h, customer.email, added.body.data.account_masked);
    expect((await session.call('POST', `${base}/${added.body.data.id}/confirmation`, { code })).status).toBe(200);
    expect((await session.call('GET', base)).body.data.map((b: { id: string }) => b.id)).toContain(added.body.data.id);

    const other = await activeCustomer(h, tenant);
    const theirs = await tenant.call('POST', beneficiariesOf(other.customerId), usAccount('70000006'));
    expect(theirs.status).toBe(202);
    for (const [method, path] of [
      ['GET', beneficiariesOf(other.customerId)],
      ['GET', `${beneficiariesOf(other.customerId)}/${theirs.body.data.id}`],
    ] as const) {
      expect((await session.call(method, path)).status).toBe(404);
    }
    // The other customer's beneficiary under this customer's path is no beneficiary of this one.
    expect((await tenant.call('GET', `${base}/${theirs.body.data.id}`)).status).toBe(404);
    expect((await tenant.call('DELETE', `${base}/${theirs.body.data.id}`)).status).toBe(404);
  });

  it("answers another tenant's customer and beneficiary exactly like missing ones", async () => {
    const beneficiary = await add(usAccount('70000007'));
    const otherTenant = await createTenant(h, 'Other Bank');
    for (const [method, path, body] of [
      ['GET', base],
      ['POST', base, usAccount('70000008')],
      ['GET', `${base}/${beneficiary.id}`],
      ['PATCH', `${base}/${beneficiary.id}`, { nickname: 'x' }],
      ['DELETE', `${base}/${beneficiary.id}`],
      ['POST', `${base}/${beneficiary.id}/confirmation`, { code: '123456' }],
      ['POST', `${base}/${beneficiary.id}/confirmation/resend`],
    ] as const) {
      const res = await otherTenant.call(method, path, body);
      expect([method, path, res.status, res.body.error]).toEqual([method, path, 404, 'NOT_FOUND']);
    }
    expect((await http(h.api.url, 'GET', base)).status).toBe(401);
    // Nothing the other tenant did reached it.
    const still = await tenant.call('GET', `${base}/${beneficiary.id}`);
    expect([still.status, still.body.data.status, still.body.data.nickname]).toEqual([200, 'PENDING_CONFIRMATION', null]);
  });
});

describe('the OpenAPI document', () => {
  it('lists every beneficiary route with its schemas and documented errors', async () => {
    const { body: doc } = await http(h.api.url, 'GET', '/openapi.json');
    const base = '/v2/customer/{customerId}/beneficiaries';
    const item = `${base}/{beneficiaryId}`;
    expect(Object.keys(doc.paths[base])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(doc.paths[item])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    expect(Object.keys(doc.paths[`${item}/confirmation`].post.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409']));
    expect(Object.keys(doc.paths[base].post.responses)).toEqual(expect.arrayContaining(['202', '400', '404', '409']));
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Beneficiary', 'BeneficiaryCreate', 'BeneficiaryPage', 'BeneficiaryUpdate']));
  });
});
