import { startHarness, type Harness } from '../support/harness';
import { createTenant, registration, type TenantSession } from '../support/tenant-client';

const REGISTER = '/api/v2.1/customer/individual/registration';

let h: Harness;
let tenant: TenantSession;

// Invalid input must be refused at the edge: with no worker running, a request that reached Temporal would hang.
beforeAll(async () => {
  h = await startHarness('validation', { withWorker: false });
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

describe('registration input validation', () => {
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['a missing first name', { firstName: undefined }, 'firstName', /Required/],
    ['a blank last name', { lastName: '   ' }, 'lastName', /empty/],
    ['a malformed e-mail', { email: 'john.doe@' }, 'email', /valid e-mail/],
    ['a short password', { password: 'Short1A' }, 'password', /10 to 128 characters/],
    ['a password without a digit', { password: 'NoDigitsHereAtAll' }, 'password', /one digit/],
    ['a password over 128 characters', { password: `Aa1${'x'.repeat(130)}` }, 'password', /10 to 128/],
    ['terms not accepted', { termsAccepted: false }, 'termsAccepted', /must be accepted/],
    ['a missing captcha', { captcha: undefined }, 'captcha', /Required/],
    ['a non-boolean marketing consent', { marketingConsent: 'yes' }, 'marketingConsent', /boolean/],
    ['an invalid phone number', { phone: '12345' }, 'phone', /international format/],
    ['an unknown field', { nickname: 'JD' }, 'nickname', /Unknown field/],
  ];

  it.each(cases)('refuses %s with 400 VALIDATION_ERROR naming the field', async (_name, override, field, message) => {
    const res = await tenant.call('POST', REGISTER, registration(override));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('VALIDATION_ERROR');
    expect(res.body.message).toEqual(expect.any(String));
    expect(res.body.details).toEqual([{ field, message: expect.stringMatching(message) }]);
  });

  it('refuses malformed JSON with 400 in the same shape', async () => {
    const res = await fetch(`${h.api.url}${REGISTER}`, {
      method: 'POST',
      headers: { ...tenant.headers, 'content-type': 'application/json' },
      body: '{"firstName": "John",',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'VALIDATION_ERROR',
      message: 'Malformed JSON body',
      details: [{ field: 'body', message: 'Request body is not valid JSON' }],
    });
  });

  it('refuses a non-object body', async () => {
    const res = await tenant.call('POST', REGISTER, ['not', 'an', 'object']);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('VALIDATION_ERROR');
  });

  it('stores nothing and starts no workflow for refused input', async () => {
    await tenant.call('POST', REGISTER, registration({ termsAccepted: false }));
    expect(await h.db('customers')).toHaveLength(0);
    const started = h.temporal.workflow.list({ query: `TenantId = "${tenant.tenantId}"` });
    for await (const wf of started) throw new Error(`unexpected workflow ${wf.workflowId}`);
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    const res = await tenant.call('GET', '/api/v2.1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('NOT_FOUND');
  });
});

describe('captcha on v2.1 registration', () => {
  it('refuses a failed captcha with 400 naming the field, storing nothing', async () => {
    const res = await tenant.call('POST', REGISTER, registration({ captcha: 'invalid' }));
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'captcha', message: 'Captcha verification failed' }]);
    expect(await h.db('customers')).toHaveLength(0);
  });
});
