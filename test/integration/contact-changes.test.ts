/**
 * Contact changes of an ACTIVE customer (workflows/contact-change.ts): the new e-mail or phone is confirmed by a code
 * sent to it before it replaces the old one, and the old contact is told. Wrong codes, replacement, cancel, a taken
 * address (asked for, or taken before the code came) and tenancy. Expiry: contact-change-expiry.test.ts.
 */
import { login, PASSWORD } from '../support/customer-session';
import { changesPath, emailCode, emailsWithSubject, requestChange, smsTo } from '../support/contact-changes';
import { expectValidationError } from '../support/expectations';
import { startHarness, type Harness } from '../support/harness';
import { activeCustomer, codeIn, register } from '../support/journey';
import { createTenant, uniqueEmail, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;
let otherTenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('contact-changes');
  tenant = await createTenant(h);
  otherTenant = await createTenant(h, 'Other Bank');
});
afterAll(() => h?.close());

const call = (...args: Parameters<TenantSession['call']>) => tenant.call(...args);
const verify = (customerId: string, changeId: string, code: string, as = call) => as('POST', `${changesPath(customerId)}/${changeId}/verification`, { code });
const customerRow = (customerId: string) => h.db('customers').where({ id: customerId }).first('email', 'phone');
const wrongCodeFor = (code: string) => (code === '000000' ? '111111' : '000000');

it('changes the e-mail address once the code sent to it comes back; the old address is told, and the customer signs in with the new one', async () => {
  const customer = await activeCustomer(h, tenant);
  const email = uniqueEmail('new');
  const change = await requestChange(call, customer.customerId, { email });
  expect(change).toEqual({ change_id: expect.stringMatching(/^chg_[0-9a-f]{24}$/), channel: 'EMAIL', status: 'PENDING_VERIFICATION', expires_at: expect.any(String), created_at: expect.any(String), updated_at: expect.any(String) });
  expect(await customerRow(customer.customerId)).toMatchObject({ email: customer.email });

  const res = await verify(customer.customerId, change.change_id, await emailCode(h, email));
  expect(res.status).toBe(200);
  expect(res.body.data).toMatchObject({ change_id: change.change_id, status: 'COMPLETED' });
  expect((await tenant.call('GET', `/v2/customer/${customer.customerId}`)).body.data.basic_info.email).toBe(email);
  const notices = await emailsWithSubject(h, customer.email, 'Your e-mail address was changed');
  expect(notices).toHaveLength(1);
  expect(notices[0].text).toContain(`${email[0]}***@example.com`);
  expect(notices[0].text).not.toContain(email);
  expect(await h.db('profile_changes').where({ customer_id: customer.customerId, source: 'CONTACT_CHANGE' })).toEqual([
    expect.objectContaining({ fields: ['basic_info.email'], actor: `tenant:oauth:${tenant.clientId}` }),
  ]);
  expect((await login(h, tenant.tenantId, email, PASSWORD)).customerId).toBe(customer.customerId);
  // The code worked once: the change is over.
  expect((await verify(customer.customerId, change.change_id, await emailCode(h, email))).status).toBe(409);
});

it('changes the phone number by SMS code; the next change tells the old number by SMS', async () => {
  const customer = await activeCustomer(h, tenant);
  const first = await requestChange(call, customer.customerId, { phone: '+1 415 555 0101' });
  const [codeText] = await smsTo(call, '+14155550101');
  expect((await verify(customer.customerId, first.change_id, codeIn(codeText))).body.data.status).toBe('COMPLETED');
  expect(await customerRow(customer.customerId)).toMatchObject({ phone: '+14155550101' });
  // The customer had no phone before: the notice went by e-mail.
  expect(await emailsWithSubject(h, customer.email, 'Your phone number was changed')).toHaveLength(1);

  const second = await requestChange(call, customer.customerId, { phone: '+14155550102' });
  const [secondCode] = await smsTo(call, '+14155550102');
  expect((await verify(customer.customerId, second.change_id, codeIn(secondCode))).status).toBe(200);
  expect(await customerRow(customer.customerId)).toMatchObject({ phone: '+14155550102' });
  const [notice] = await smsTo(call, '+14155550101', 2);
  expect(notice).toContain('*******0102');
});

it('refuses a wrong code with 400 naming code; the fifth ends the change (FAILED) and nothing changes', async () => {
  const customer = await activeCustomer(h, tenant);
  const email = uniqueEmail('typo');
  const change = await requestChange(call, customer.customerId, { email });
  const code = await emailCode(h, email);
  for (let i = 0; i < 5; i += 1) expectValidationError(await verify(customer.customerId, change.change_id, wrongCodeFor(code)), 'code');
  expect((await call('GET', `${changesPath(customer.customerId)}/${change.change_id}`)).body.data.status).toBe('FAILED');
  const late = await verify(customer.customerId, change.change_id, code);
  expect(late.status).toBe(409);
  expect(late.body).toEqual({ error: 'CONFLICT', message: expect.stringContaining('FAILED') });
  expect(await customerRow(customer.customerId)).toMatchObject({ email: customer.email });
});

it("a second request replaces a pending one: the first's code stops working, the second's works", async () => {
  const customer = await activeCustomer(h, tenant);
  const [firstEmail, secondEmail] = [uniqueEmail('first'), uniqueEmail('second')];
  const first = await requestChange(call, customer.customerId, { email: firstEmail });
  const firstCode = await emailCode(h, firstEmail);
  const second = await requestChange(call, customer.customerId, { email: secondEmail });
  expect((await call('GET', `${changesPath(customer.customerId)}/${first.change_id}`)).body.data.status).toBe('CANCELLED');
  expect((await verify(customer.customerId, first.change_id, firstCode)).status).toBe(409);
  expect((await verify(customer.customerId, second.change_id, await emailCode(h, secondEmail))).body.data.status).toBe('COMPLETED');
  expect(await customerRow(customer.customerId)).toMatchObject({ email: secondEmail });
});

it('cancels a pending change: its code stops working, nothing changes, and a second cancel is 409', async () => {
  const customer = await activeCustomer(h, tenant);
  const email = uniqueEmail('cancelled');
  const change = await requestChange(call, customer.customerId, { email });
  const code = await emailCode(h, email);
  const cancelled = await call('DELETE', `${changesPath(customer.customerId)}/${change.change_id}`);
  expect(cancelled.status).toBe(200);
  expect(cancelled.body.data.status).toBe('CANCELLED');
  expect((await verify(customer.customerId, change.change_id, code)).status).toBe(409);
  expect((await call('DELETE', `${changesPath(customer.customerId)}/${change.change_id}`)).status).toBe(409);
  expect(await customerRow(customer.customerId)).toMatchObject({ email: customer.email });
});

it("refuses another customer's e-mail when asked, and fails the change when the address is taken before the code comes", async () => {
  const customer = await activeCustomer(h, tenant);
  const other = await register(tenant);
  expectValidationError(await call('POST', changesPath(customer.customerId), { email: other.email }), 'email', 'Email address is already registered');

  const email = uniqueEmail('raced');
  const change = await requestChange(call, customer.customerId, { email });
  const code = await emailCode(h, email);
  await register(tenant, { email });
  expectValidationError(await verify(customer.customerId, change.change_id, code), 'email', 'Email address is already registered');
  expect((await call('GET', `${changesPath(customer.customerId)}/${change.change_id}`)).body.data.status).toBe('FAILED');
  expect(await customerRow(customer.customerId)).toMatchObject({ email: customer.email });
});

it("answers 404 for another tenant's customer and for another customer's change, and lets a customer's session act on itself only", async () => {
  const customer = await activeCustomer(h, tenant);
  const neighbour = await activeCustomer(h, tenant);
  const change = await requestChange(call, customer.customerId, { phone: '+14155550109' });
  const own = `${changesPath(customer.customerId)}/${change.change_id}`;
  const foreign = `${changesPath(neighbour.customerId)}/${change.change_id}`;
  for (const [method, path, body] of [
    ['POST', changesPath(customer.customerId), { phone: '+14155550110' }],
    ['GET', own],
    ['DELETE', own],
    ['POST', `${own}/verification`, { code: '123456' }],
  ] as const) {
    const res = await otherTenant.call(method, path, body);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'NOT_FOUND', message: expect.any(String) });
  }
  expect((await call('GET', foreign)).status).toBe(404);
  expect((await call('DELETE', foreign)).status).toBe(404);

  const session = await login(h, tenant.tenantId, customer.email);
  expect((await session.call('GET', own)).body.data.status).toBe('PENDING_VERIFICATION');
  expect((await session.call('POST', changesPath(neighbour.customerId), { phone: '+14155550111' })).status).toBe(404);
  const mine = await session.call('POST', changesPath(customer.customerId), { phone: '+14155550112' });
  expect(mine.status).toBe(202);
  const [text] = await smsTo(call, '+14155550112');
  expect((await session.call('POST', `${changesPath(customer.customerId)}/${mine.body.data.change_id}/verification`, { code: codeIn(text) })).body.data.status).toBe('COMPLETED');
  expect(await h.db('profile_changes').where({ customer_id: customer.customerId }).orderBy('id', 'desc').first()).toMatchObject({ actor: `customer:${customer.customerId}` });
});

describe('refuses invalid requests with 400 naming the field', () => {
  let customer: { customerId: string; email: string };
  beforeAll(async () => {
    customer = await activeCustomer(h, tenant);
  });

  it.each<[string, () => unknown, string]>([
    ['both e-mail and phone', () => ({ email: uniqueEmail(), phone: '+14155550120' }), 'body'],
    ['neither', () => ({}), 'body'],
    ['an upper-case e-mail', () => ({ email: 'New@Example.com' }), 'email'],
    ['a phone not in international format', () => ({ phone: '4155550120' }), 'phone'],
    ['the current e-mail', () => ({ email: customer.email }), 'email'],
    ['an unknown field', () => ({ email: uniqueEmail(), name: 'x' }), 'name'],
  ])('%s', async (_name, body, field) => {
    expectValidationError(await call('POST', changesPath(customer.customerId), body()), field);
    expect(await h.db('contact_changes').where({ customer_id: customer.customerId })).toHaveLength(0);
  });

  it('a code that is not 6 digits, and a malformed change id', async () => {
    const change = await requestChange(call, customer.customerId, { phone: '+14155550121' });
    expectValidationError(await verify(customer.customerId, change.change_id, '12ab'), 'code');
    expectValidationError(await call('GET', `${changesPath(customer.customerId)}/chg_nothex`), 'changeId');
  });
});

it('answers 409 INVALID_STATE for a customer still onboarding', async () => {
  const customer = await register(tenant);
  const res = await call('POST', changesPath(customer.customerId), { email: uniqueEmail() });
  expect(res.status).toBe(409);
  expect(res.body).toEqual({ error: 'INVALID_STATE', message: expect.any(String), details: [{ field: 'status', message: 'PENDING_EMAIL_VERIFICATION' }] });
});
