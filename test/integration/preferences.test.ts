/**
 * A customer's preferences: the defaults until they set any, partial changes (a BCP 47 language canonicalised,
 * marketing by channel, notification channels), each change kept in the history with its actor (the tenant's
 * credential or the customer's own session), and every refusal the routes document.
 */
import { expectValidationError } from '../support/expectations';
import { startHarness, type Harness } from '../support/harness';
import { login, PASSWORD } from '../support/customer-session';
import { activeCustomer, register } from '../support/journey';
import { createTenant, http, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;
let otherTenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('preferences');
  [tenant, otherTenant] = await Promise.all([createTenant(h), createTenant(h, 'Other Bank')]);
});
afterAll(() => h?.close());

const pathOf = (customerId: string) => `/v2/customer/${customerId}/preferences`;
const storedRow = (customerId: string) => h.db('customer_preferences').where({ customer_id: customerId }).first();
const historyRows = (customerId: string) => h.db('customer_preference_changes').where({ customer_id: customerId }).orderBy('id');

describe('reading preferences', () => {
  it('gives the defaults to a customer who never set any: en, e-mail notifications, marketing by e-mail only as consented', async () => {
    const plain = await register(tenant);
    const consented = await register(tenant, { marketingConsent: true });
    const res = await tenant.call('GET', pathOf(plain.customerId));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: { language: 'en', marketing: { email: false, sms: false, phone: false }, notification_channels: ['EMAIL'], updated_at: null },
    });
    expect((await tenant.call('GET', pathOf(consented.customerId))).body.data.marketing).toEqual({ email: true, sms: false, phone: false });
    // Reading writes nothing: the defaults are not a row.
    expect(await storedRow(plain.customerId)).toBeUndefined();
  });
});

describe('changing preferences', () => {
  it('moves only the fields given, canonicalises the language, and records each change with its actor, newest first', async () => {
    const customer = await register(tenant, { password: PASSWORD, marketingConsent: true });
    const session = await login(h, tenant.tenantId, customer.email);

    const first = await tenant.call('PUT', pathOf(customer.customerId), { language: 'PT-br' });
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual({
      language: 'pt-BR',
      marketing: { email: true, sms: false, phone: false },
      notification_channels: ['EMAIL'],
      updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const second = await session.call('PUT', pathOf(customer.customerId), { marketing: { email: false }, notification_channels: ['PUSH', 'EMAIL'] });
    expect(second.status).toBe(200);
    expect(second.body.data).toMatchObject({ language: 'pt-BR', marketing: { email: false, sms: false, phone: false }, notification_channels: ['PUSH', 'EMAIL'] });
    expect(await storedRow(customer.customerId)).toMatchObject({ language: 'pt-BR', marketing_email: false, notification_channels: ['PUSH', 'EMAIL'] });

    // The same values again change nothing: no history row.
    expect((await session.call('PUT', pathOf(customer.customerId), { language: 'pt-BR' })).status).toBe(200);
    expect(await historyRows(customer.customerId)).toHaveLength(2);

    const history = await tenant.call('GET', `${pathOf(customer.customerId)}/history`);
    expect(history.status).toBe(200);
    expect(history.body).toEqual({
      data: [
        {
          changes: [
            { field: 'marketing.email', from: true, to: false },
            { field: 'notification_channels', from: ['EMAIL'], to: ['PUSH', 'EMAIL'] },
          ],
          actor: { type: 'customer', id: customer.customerId },
          reason: null,
          changed_at: expect.any(String),
        },
        { changes: [{ field: 'language', from: 'en', to: 'pt-BR' }], actor: { type: 'tenant', id: `oauth:${tenant.clientId}` }, reason: null, changed_at: expect.any(String) },
      ],
      next_cursor: null,
    });
    // The customer reads their own history too.
    expect((await session.call('GET', `${pathOf(customer.customerId)}/history`)).body.data).toHaveLength(2);
  });

  it('pages the history with a cursor, newest first', async () => {
    const customer = await register(tenant);
    for (const language of ['de', 'fr', 'it']) expect((await tenant.call('PUT', pathOf(customer.customerId), { language })).status).toBe(200);
    const first = await tenant.call('GET', `${pathOf(customer.customerId)}/history?limit=2`);
    expect(first.body.data.map((c: any) => c.changes[0].to)).toEqual(['it', 'fr']);
    expect(first.body.next_cursor).toEqual(expect.stringMatching(/^\d+$/));
    const second = await tenant.call('GET', `${pathOf(customer.customerId)}/history?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body).toEqual({ data: [expect.objectContaining({ changes: [{ field: 'language', from: 'en', to: 'de' }] })], next_cursor: null });
    // A page that holds exactly the last rows says so: no cursor to an empty page.
    const whole = await tenant.call('GET', `${pathOf(customer.customerId)}/history?limit=3`);
    expect(whole.body.data).toHaveLength(3);
    expect(whole.body.next_cursor).toBeNull();
    expectValidationError(await tenant.call('GET', `${pathOf(customer.customerId)}/history?cursor=abc`), 'cursor');
    expectValidationError(await tenant.call('GET', `${pathOf(customer.customerId)}/history?limit=101`), 'limit');
  });

  it('lets a customer with a phone on file take SMS and marketing by SMS or phone', async () => {
    const customer = await register(tenant, { phone: '+14155552671' });
    const res = await tenant.call('PUT', pathOf(customer.customerId), { notification_channels: ['SMS'], marketing: { sms: false, phone: false } });
    expect(res.status).toBe(200);
    expect(res.body.data.notification_channels).toEqual(['SMS']);
  });
});

describe('refusals', () => {
  it('answers 400 naming the field for each rule, and stores nothing', async () => {
    const customer = await register(tenant, { marketingConsent: true });
    const put = (body: unknown) => tenant.call('PUT', pathOf(customer.customerId), body);
    expectValidationError(await put({}), 'body', /at least one/);
    expectValidationError(await put({ language: 'not a tag!' }), 'language', /BCP 47/);
    expectValidationError(await put({ language: 'e' }), 'language');
    expectValidationError(await put({ language: 42 }), 'language');
    expectValidationError(await put({ marketing: {} }), 'marketing', /at least one/);
    expectValidationError(await put({ marketing: { email: 'yes' } }), 'marketing.email');
    const fax = await put({ marketing: { fax: true } });
    expect(fax.status).toBe(400);
    expect(fax.body.details).toContainEqual({ field: 'marketing.fax', message: expect.any(String) });
    expectValidationError(await put({ notification_channels: [] }), 'notification_channels', /at least one/);
    expectValidationError(await put({ notification_channels: ['EMAIL', 'EMAIL'] }), 'notification_channels', /repeat/);
    expectValidationError(await put({ notification_channels: ['PIGEON'] }), 'notification_channels.0');
    expectValidationError(await put({ notification_channels: ['SMS'] }), 'notification_channels', 'SMS needs a phone number on file');
    expectValidationError(await put({ marketing: { sms: true } }), 'marketing.sms', /phone number/);
    expectValidationError(await put({ marketing: { phone: true } }), 'marketing.phone', /phone number/);
    expectValidationError(await put({ language: 'en', timezone: 'UTC' }), 'timezone');
    expect(await storedRow(customer.customerId)).toBeUndefined();
    expect(await historyRows(customer.customerId)).toEqual([]);
  });

  it('answers 409 when marketing is turned on without the MARKETING consent in force', async () => {
    const customer = await register(tenant);
    const res = await tenant.call('PUT', pathOf(customer.customerId), { marketing: { email: true } });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: 'CONFLICT', message: expect.stringContaining('MARKETING consent') });
    expect(await storedRow(customer.customerId)).toBeUndefined();
    // Turning it off, or anything else, needs no consent.
    expect((await tenant.call('PUT', pathOf(customer.customerId), { marketing: { email: false }, language: 'de' })).status).toBe(200);
  });

  it("answers 404 for another tenant's customer and, to a customer's session, for another customer", async () => {
    const customer = await register(tenant);
    const stranger = await register(otherTenant, { password: PASSWORD });
    const strangerSession = await login(h, otherTenant.tenantId, stranger.email);
    const sameTenantOther = await register(tenant, { password: PASSWORD });
    const otherSession = await login(h, tenant.tenantId, sameTenantOther.email);
    for (const call of [
      () => otherTenant.call('GET', pathOf(customer.customerId)),
      () => otherTenant.call('PUT', pathOf(customer.customerId), { language: 'de' }),
      () => otherTenant.call('GET', `${pathOf(customer.customerId)}/history`),
      () => otherSession.call('GET', pathOf(customer.customerId)),
      () => otherSession.call('PUT', pathOf(customer.customerId), { language: 'de' }),
      () => otherSession.call('GET', `${pathOf(customer.customerId)}/history`),
      () => strangerSession.call('PUT', pathOf(customer.customerId), { language: 'de' }),
      () => tenant.call('GET', pathOf('cust_000000000000000000000000')),
    ]) {
      const res = await call();
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'NOT_FOUND', message: expect.any(String) });
    }
    expect(await storedRow(customer.customerId)).toBeUndefined();
    expectValidationError(await tenant.call('GET', pathOf('cust_123')), 'customerId');
  });

  it('answers 401 without a credential', async () => {
    const customer = await register(tenant);
    const res = await fetch(`${h.api.url}${pathOf(customer.customerId)}`);
    expect(res.status).toBe(401);
  });

  it('answers 409 INVALID_STATE for a CLOSED customer, whose history stays readable', async () => {
    const customer = await activeCustomer(h, tenant);
    expect((await tenant.call('PUT', pathOf(customer.customerId), { language: 'fr' })).status).toBe(200);
    expect((await tenant.call('PUT', `/v2/persons/${customer.customerId}/CLOSED`)).status).toBe(200);
    for (const res of [await tenant.call('GET', pathOf(customer.customerId)), await tenant.call('PUT', pathOf(customer.customerId), { language: 'de' })]) {
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ error: 'INVALID_STATE', message: expect.any(String), details: [{ field: 'status', message: 'CLOSED' }] });
    }
    expect((await storedRow(customer.customerId)).language).toBe('fr');
    expect((await tenant.call('GET', `${pathOf(customer.customerId)}/history`)).body.data).toHaveLength(1);
  }, 60_000);
});

describe('the table', () => {
  it('refuses an empty or unknown notification channel list, whatever writes it', async () => {
    const customer = await register(tenant);
    const row = { tenant_id: tenant.tenantId, customer_id: customer.customerId, language: 'en', marketing_email: false, marketing_sms: false, marketing_phone: false };
    for (const channels of [[], ['FAX']]) {
      await expect(h.db('customer_preferences').insert({ ...row, notification_channels: channels })).rejects.toMatchObject({
        code: '23514',
        constraint: 'customer_preferences_channels_check',
      });
    }
  });
});

describe('the OpenAPI document', () => {
  it('lists the preferences and withdrawal routes with their schemas and every error they answer', async () => {
    const doc = (await http(h.api.url, 'GET', '/openapi.json')).body;
    const prefs = doc.paths['/v2/customer/{customerId}/preferences'];
    expect(prefs.get.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/Preferences');
    expect(Object.keys(prefs.put.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '404', '409']));
    expect(prefs.put.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/PreferencesChange');
    expect(doc.paths['/v2/customer/{customerId}/preferences/history'].get.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/PreferencesHistory',
    );
    const withdrawal = doc.paths['/api/v2.1/customer/{customerId}/consents/{type}/withdrawal'].post;
    expect(withdrawal.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/WithdrawnConsent');
    expect(Object.keys(withdrawal.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '404', '409']));
  });
});
