/**
 * The tenant webhook subscription API over HTTP, as a tenant calls it: subscribe, list, read, change, delete, rotate
 * the secret; the secret shown only by create and rotate and sealed at rest; event types from the catalogue; the
 * SSRF guard (with WEBHOOK_ALLOW_PRIVATE_URLS=false in its own slice); another tenant's subscription a 404; the
 * per-tenant limit; any tier allowed; the audit rows; the catalogue in /openapi.json.
 */
import { fieldCipherFor } from '../../common/field-encryption';
import { WEBHOOK_EVENT_TYPES } from '../../common/webhook-events';
import { MAX_SUBSCRIPTIONS_PER_TENANT } from '../../api/webhooks/schemas';
import { signingSecrets, WEBHOOK_SECRET_PURPOSE } from '../../api/webhooks/signing-secrets';
import { disableSubscription, type SubscriptionRow } from '../../api/webhooks/subscription-store';
import { startHarness, type Harness } from '../support/harness';
import { tenantWithAccess } from '../support/tenancy';
import { createTenant, http, type TenantSession } from '../support/tenant-client';

const BASE = '/api/v2.1/webhooks/subscriptions';
const RECEIVER = 'http://127.0.0.1:4999/hooks';

let h: Harness;
let tenant: TenantSession;
let other: TenantSession;

beforeAll(async () => {
  h = await startHarness('webhook_subscriptions', { withWorker: false, env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } });
  tenant = await createTenant(h, 'Hook Bank');
  other = await createTenant(h, 'Other Bank');
});
afterAll(() => h?.close());

const subscribe = (who: TenantSession, body: Record<string, unknown> = {}) =>
  who.call('POST', BASE, { url: RECEIVER, eventTypes: ['customer.status_changed'], ...body });
const stored = (id: string) => h.db('webhook_subscriptions').where({ id }).first<SubscriptionRow>();

describe('subscribing', () => {
  it('answers 201 with the subscription and its whsec_ secret, which is stored only sealed', async () => {
    const res = await subscribe(tenant, { eventTypes: ['kyc.completed', 'customer.activated', 'kyc.completed'], description: 'CRM sync', alertEmail: 'ops@bank.example' });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      subscriptionId: expect.stringMatching(/^whsub_[0-9a-f]{24}$/),
      url: RECEIVER,
      eventTypes: ['customer.activated', 'kyc.completed'],
      description: 'CRM sync',
      alertEmail: 'ops@bank.example',
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      previousSecretExpiresAt: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    const row = await stored(res.body.subscriptionId);
    expect(row.tenant_id).toBe(tenant.tenantId);
    expect(JSON.stringify(row)).not.toContain(res.body.secret.slice('whsec_'.length));
    expect(signingSecrets(row, fieldCipherFor(h.secrets, WEBHOOK_SECRET_PURPOSE), new Date())).toEqual([res.body.secret]);
  });

  it('never shows the secret again: not in the list, not in a read', async () => {
    const created = (await subscribe(tenant)).body;
    const list = await tenant.call('GET', BASE);
    const read = await tenant.call('GET', `${BASE}/${created.subscriptionId}`);
    expect(list.status).toBe(200);
    expect(read.status).toBe(200);
    const { secret, ...view } = created;
    expect(read.body).toEqual(view);
    expect(list.body.data).toEqual(expect.arrayContaining([view]));
    expect(JSON.stringify([list.body, read.body])).not.toContain(secret);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
  });

  it('refuses unknown, empty or missing event types, and a missing or malformed URL, naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ eventTypes: [] }, 'eventTypes'],
      [{ eventTypes: ['customer.deleted'] }, 'eventTypes.0'],
      [{ eventTypes: undefined }, 'eventTypes'],
      [{ url: undefined }, 'url'],
      [{ url: 'ftp://files.example.com/in' }, 'url'],
      [{ url: 'not a url' }, 'url'],
      [{ alertEmail: 'nobody' }, 'alertEmail'],
      [{ description: 'line\u0000break' }, 'description'],
      [{ secret: 'whsec_mine' }, 'secret'],
    ];
    for (const [body, field] of cases) {
      const res = await subscribe(other, body);
      expect({ body, status: res.status, error: res.body.error, fields: res.body.details?.map((d: { field: string }) => d.field) }).toEqual({
        body,
        status: 400,
        error: 'VALIDATION_ERROR',
        fields: [field],
      });
    }
    const scheme = await subscribe(other, { url: 'ftp://files.example.com/in' });
    expect(scheme.body.details).toEqual([{ field: 'url', message: 'Must use https or http' }]);
    expect(await h.db('webhook_subscriptions').where({ tenant_id: other.tenantId }).count({ n: '*' })).toEqual([{ n: '0' }]);
  });

  it(`holds at most ${MAX_SUBSCRIPTIONS_PER_TENANT} subscriptions per tenant`, async () => {
    const busy = await createTenant(h, 'Busy Bank');
    for (let i = 0; i < MAX_SUBSCRIPTIONS_PER_TENANT; i++) expect((await subscribe(busy)).status).toBe(201);
    const refused = await subscribe(busy);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ error: 'CONFLICT', message: expect.stringContaining(`at most ${MAX_SUBSCRIPTIONS_PER_TENANT}`) });
    expect(await h.db('webhook_subscriptions').where({ tenant_id: busy.tenantId }).count({ n: '*' })).toEqual([{ n: String(MAX_SUBSCRIPTIONS_PER_TENANT) }]);
  });

  it('is open to every tier: a STARTER tenant subscribes and reads the catalogue', async () => {
    const starter = await tenantWithAccess(h, { tier: 'STARTER' }, 'Starter Bank');
    expect((await subscribe(starter)).status).toBe(201);
    const types = await starter.call('GET', '/api/v2.1/webhooks/event-types');
    expect(types.status).toBe(200);
    expect(types.body.data.map((t: { type: string }) => t.type)).toEqual(WEBHOOK_EVENT_TYPES);
    expect(types.body.data[0]).toEqual({
      type: 'customer.status_changed',
      version: 1,
      description: expect.any(String),
      dataSchema: '#/components/schemas/CustomerStatusChangedDataV1',
    });
  });
});

describe('changing a subscription', () => {
  it('changes URL, event types, description and alert e-mail, and clears with null', async () => {
    const { subscriptionId } = (await subscribe(tenant, { description: 'old' })).body;
    const res = await tenant.call('PATCH', `${BASE}/${subscriptionId}`, { url: 'http://127.0.0.1:5000/new', eventTypes: ['document.reviewed'], description: null, alertEmail: 'alerts@bank.example' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ url: 'http://127.0.0.1:5000/new', eventTypes: ['document.reviewed'], description: null, alertEmail: 'alerts@bank.example', enabled: true });
    expect((await tenant.call('PATCH', `${BASE}/${subscriptionId}`, {})).body.details).toEqual([{ field: 'body', message: expect.stringContaining('at least one') }]);
    expect((await tenant.call('PATCH', `${BASE}/${subscriptionId}`, { eventTypes: ['nope'] })).status).toBe(400);
  });

  it('disabling records reason TENANT and cancels pending deliveries; enabling again is the tenant\'s act, even after GONE', async () => {
    const { subscriptionId } = (await subscribe(tenant, { eventTypes: ['customer.activated'] })).body;
    const event = await tenant.call('POST', '/api/v2.1/sandbox/webhooks/events', { type: 'customer.activated' });
    expect(event.body.subscriptionIds).toContain(subscriptionId);
    const disabled = await tenant.call('PATCH', `${BASE}/${subscriptionId}`, { enabled: false });
    expect(disabled.body).toMatchObject({ enabled: false, disabledReason: 'TENANT', disabledAt: expect.any(String) });
    expect(await h.db('webhook_deliveries').where({ subscription_id: subscriptionId }).pluck('status')).toEqual(['CANCELLED']);

    const enabled = await tenant.call('PATCH', `${BASE}/${subscriptionId}`, { enabled: true });
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null });
    // The delivery side disables an endpoint that answered 410; only the tenant turns it on again.
    expect(await disableSubscription(h.db, tenant.tenantId, subscriptionId, 'GONE')).toBe(true);
    expect((await tenant.call('GET', `${BASE}/${subscriptionId}`)).body).toMatchObject({ enabled: false, disabledReason: 'GONE' });
    expect((await tenant.call('PATCH', `${BASE}/${subscriptionId}`, { enabled: true })).body).toMatchObject({ enabled: true, disabledReason: null });
  });

  it('deletes a subscription with its deliveries (204), after which it is a 404', async () => {
    const { subscriptionId } = (await subscribe(tenant, { eventTypes: ['customer.expired'] })).body;
    await tenant.call('POST', '/api/v2.1/sandbox/webhooks/events', { type: 'customer.expired' });
    expect(await h.db('webhook_deliveries').where({ subscription_id: subscriptionId }).count({ n: '*' })).toEqual([{ n: '1' }]);
    const res = await tenant.call('DELETE', `${BASE}/${subscriptionId}`);
    expect(res.status).toBe(204);
    expect((await tenant.call('GET', `${BASE}/${subscriptionId}`)).status).toBe(404);
    expect((await tenant.call('DELETE', `${BASE}/${subscriptionId}`)).status).toBe(404);
    expect(await h.db('webhook_deliveries').where({ subscription_id: subscriptionId }).count({ n: '*' })).toEqual([{ n: '0' }]);
  });
});

describe('rotating the secret', () => {
  it('shows the new secret once; the old one keeps signing until the overlap ends', async () => {
    const created = (await subscribe(tenant)).body;
    const before = Date.now();
    const res = await tenant.call('POST', `${BASE}/${created.subscriptionId}/rotate-secret`, { overlapSeconds: 3600 });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({ subscriptionId: created.subscriptionId, secret: expect.stringMatching(/^whsec_/), previousSecretExpiresAt: expect.any(String) });
    expect(res.body.secret).not.toBe(created.secret);
    const expires = Date.parse(res.body.previousSecretExpiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 3600_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 3600_000 + 1000);

    const cipher = fieldCipherFor(h.secrets, WEBHOOK_SECRET_PURPOSE);
    const row = await stored(created.subscriptionId);
    expect(signingSecrets(row, cipher, new Date())).toEqual([res.body.secret, created.secret]);
    expect(signingSecrets(row, cipher, new Date(expires + 1000))).toEqual([res.body.secret]);
    const read = await tenant.call('GET', `${BASE}/${created.subscriptionId}`);
    expect(read.body.previousSecretExpiresAt).toBe(res.body.previousSecretExpiresAt);
    expect(JSON.stringify(read.body)).not.toContain('whsec_');
  });

  it('overlaps 24 h by default, at most 7 days; 0 retires the old secret at once', async () => {
    const { subscriptionId } = (await subscribe(tenant)).body;
    const byDefault = await tenant.call('POST', `${BASE}/${subscriptionId}/rotate-secret`, {});
    expect(Math.abs(Date.parse(byDefault.body.previousSecretExpiresAt) - Date.now() - 86_400_000)).toBeLessThan(5000);
    const tooLong = await tenant.call('POST', `${BASE}/${subscriptionId}/rotate-secret`, { overlapSeconds: 7 * 86_400 + 1 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.details).toEqual([{ field: 'overlapSeconds', message: expect.stringContaining('7 days') }]);
    const now = await tenant.call('POST', `${BASE}/${subscriptionId}/rotate-secret`, { overlapSeconds: 0 });
    expect(now.body.previousSecretExpiresAt).toBeNull();
    expect(signingSecrets(await stored(subscriptionId), fieldCipherFor(h.secrets, WEBHOOK_SECRET_PURPOSE), new Date())).toEqual([now.body.secret]);
  });
});

describe('tenancy', () => {
  it("answers 404 for another tenant's subscription on every route, and changes nothing", async () => {
    const { subscriptionId } = (await subscribe(tenant)).body;
    const before = await stored(subscriptionId);
    const calls: Array<[string, string, unknown?]> = [
      ['GET', `${BASE}/${subscriptionId}`],
      ['PATCH', `${BASE}/${subscriptionId}`, { enabled: false }],
      ['DELETE', `${BASE}/${subscriptionId}`],
      ['POST', `${BASE}/${subscriptionId}/rotate-secret`, {}],
      ['POST', `${BASE}/${subscriptionId}/test`],
      ['GET', `${BASE}/${subscriptionId}/deliveries`],
      ['POST', `${BASE}/${subscriptionId}/deliveries/1/redeliver`],
    ];
    for (const [method, path, body] of calls) {
      const res = await other.call(method, path, body);
      expect({ method, path, status: res.status, error: res.body.error }).toEqual({ method, path, status: 404, error: 'NOT_FOUND' });
    }
    expect(await stored(subscriptionId)).toEqual(before);
    expect((await other.call('GET', BASE)).body.data.map((s: { subscriptionId: string }) => s.subscriptionId)).not.toContain(subscriptionId);
  });
});

describe('records and documents', () => {
  it('audits each change under the subscription, with field names only', async () => {
    const { subscriptionId } = (await subscribe(tenant, { alertEmail: 'private@bank.example' })).body;
    await tenant.call('POST', `${BASE}/${subscriptionId}/rotate-secret`, {});
    const trail = await tenant.call('GET', `/api/v2.1/audit?targetId=${subscriptionId}`);
    expect(trail.status).toBe(200);
    expect(trail.body.data.map((e: { action: string; target: unknown; status: number }) => [e.action, e.target, e.status])).toEqual([
      ['POST /api/v2.1/webhooks/subscriptions/{subscriptionId}/rotate-secret', { type: 'webhook_subscription', id: subscriptionId }, 200],
      ['POST /api/v2.1/webhooks/subscriptions', { type: 'webhook_subscription', id: subscriptionId }, 201],
    ]);
    expect(trail.body.data[1].changes.fields).toEqual(['alertEmail', 'eventTypes', 'url']);
    expect(JSON.stringify(trail.body)).not.toMatch(/whsec_|private@bank/);
  });

  it('publishes every event type and the envelope as versioned components and OpenAPI webhooks', async () => {
    const document = (await http(h.api.url, 'GET', '/openapi.json')).body;
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['WebhookEnvelope', 'CustomerStatusChangedDataV1', 'KycCompletedEventV1', 'WebhookTestDataV1']));
    expect(Object.keys(document.webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    const kyc = document.components.schemas.KycCompletedDataV1;
    expect(kyc.properties.outcome.enum).toEqual(['APPROVED', 'REJECTED', 'MANUAL_REVIEW']);
    expect(document.webhooks['kyc.completed'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/KycCompletedEventV1' });
    expect(document.paths[BASE].post.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/WebhookSubscriptionCreated' });
  });
});

describe('with WEBHOOK_ALLOW_PRIVATE_URLS=false', () => {
  let strict: Harness;
  let bank: TenantSession;
  beforeAll(async () => {
    strict = await startHarness('webhook_ssrf', { withWorker: false, env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'false' } });
    bank = await createTenant(strict, 'Strict Bank');
  });
  afterAll(() => strict?.close());

  it('refuses plain http, loopback, link-local metadata, localhost and private addresses, naming url', async () => {
    const refused: Array<[string, string]> = [
      ['http://hooks.example.com/in', 'Must use https'],
      ['https://127.0.0.1/hooks', 'Must not point to a private, loopback or reserved address'],
      ['https://169.254.169.254/latest/meta-data', 'Must not point to a private, loopback or reserved address'],
      ['https://[::1]:8443/hooks', 'Must not point to a private, loopback or reserved address'],
      ['https://10.0.0.5/hooks', 'Must not point to a private, loopback or reserved address'],
      ['https://localhost/hooks', 'Must name a public host'],
      ['https://user:pw@hooks.example.com/in', 'Must not carry credentials'],
    ];
    for (const [url, message] of refused) {
      const res = await bank.call('POST', BASE, { url, eventTypes: ['customer.activated'] });
      expect({ url, status: res.status, body: res.body }).toEqual({ url, status: 400, body: { error: 'VALIDATION_ERROR', message: expect.any(String), details: [{ field: 'url', message }] } });
    }
    expect(await strict.db('webhook_subscriptions').count({ n: '*' })).toEqual([{ n: '0' }]);
  });

  it('checks a changed URL too', async () => {
    // A public address literal passes the guard without DNS (this machine may have none).
    const created = await bank.call('POST', BASE, { url: 'https://93.184.215.14/hooks', eventTypes: ['customer.activated'] });
    expect(created.status).toBe(201);
    const res = await bank.call('PATCH', `${BASE}/${created.body.subscriptionId}`, { url: 'https://169.254.169.254/' });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'url', message: 'Must not point to a private, loopback or reserved address' }]);
    expect((await bank.call('GET', `${BASE}/${created.body.subscriptionId}`)).body.url).toBe('https://93.184.215.14/hooks');
  });
});
