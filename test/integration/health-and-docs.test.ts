import { Client, Connection } from '@temporalio/client';
import { createDb } from '../../common/db';
import { createLogger } from '../../common/logger';
import { dataConverterFor, payloadCodecFor } from '../../common/temporal';
import { startApiServer, type RunningApi } from '../../api/server';
import { startHarness, type Harness } from '../support/harness';
import { freePort } from '../support/ports';
import { createTenant, http } from '../support/tenant-client';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('health', { withWorker: false });
});
afterAll(() => h?.close());

/** An API whose database address answers nothing: PostgreSQL is down. */
async function apiWithPostgresDown(): Promise<{ api: RunningApi; close(): Promise<void> }> {
  const db = createDb(`postgres://postgres:postgres@127.0.0.1:${await freePort()}/down`, 2);
  const connection = await Connection.connect({ address: h.infra.temporalAddress });
  const temporal = new Client({ connection, dataConverter: dataConverterFor(h.secrets) });
  const api = await startApiServer(h.config, h.secrets, { db, temporal, logger: createLogger('silent', 'test') }, 0);
  return {
    api,
    close: async () => {
      await api.close();
      await db.destroy();
      await connection.close();
    },
  };
}

describe('health', () => {
  it('GET /health answers 200 while the process lives', async () => {
    const res = await http(h.api.url, 'GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /ready answers 200 when PostgreSQL and Temporal answer', async () => {
    const res = await http(h.api.url, 'GET', '/ready');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', checks: { postgres: 'up', temporal: 'up' } });
  });

  it('GET /ready answers 503 naming PostgreSQL when it is down', async () => {
    const down = await apiWithPostgresDown();
    try {
      const res = await http(down.api.url, 'GET', '/ready');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'unavailable', checks: { postgres: 'down', temporal: 'up' } });
    } finally {
      await down.close();
    }
  });

  it('answers a request while PostgreSQL is down with 503 SERVICE_UNAVAILABLE and Retry-After', async () => {
    const headers = (await createTenant(h)).headers;
    const down = await apiWithPostgresDown();
    try {
      const res = await http(down.api.url, 'GET', '/api/v2.1/customer/cust_000000000000000000000000', { headers });
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error: 'SERVICE_UNAVAILABLE', message: expect.any(String) });
      expect(res.headers.get('retry-after')).toBe('5');
      expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|knex|postgres/i);
    } finally {
      await down.close();
    }
  });

  it('answers an unexpected fault with 500 INTERNAL_ERROR and leaks no internals', async () => {
    const { headers } = await createTenant(h);
    await h.db.schema.renameTable('customers', 'customers_moved');
    try {
      const res = await http(h.api.url, 'GET', '/api/v2.1/customer/cust_000000000000000000000000', { headers });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: 'INTERNAL_ERROR', message: 'An unexpected error occurred' });
      expect(JSON.stringify(res.body)).not.toMatch(/relation|customers|select|stack/i);
    } finally {
      await h.db.schema.renameTable('customers_moved', 'customers');
    }
  });
});

describe('API documentation', () => {
  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await http(h.api.url, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v2.1/admin/tenants',
        '/api/v2.1/oauth/token',
        '/api/v2.1/customer/individual/registration',
        '/api/v2.1/customer/{customerId}',
      ]),
    );
    const registration = res.body.paths['/api/v2.1/customer/individual/registration'].post;
    const schema = registration.requestBody.content['application/json'].schema;
    const resolved = schema.$ref ? res.body.components.schemas[schema.$ref.split('/').pop()] : schema;
    expect(resolved.required).toEqual(expect.arrayContaining(['firstName', 'lastName', 'email', 'password', 'captcha', 'termsAccepted']));
    expect(Object.keys(registration.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403']));
  });

  it('serves an interactive reference at /docs', async () => {
    const res = await fetch(`${h.api.url}/docs/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('swagger-ui');
  });
});

describe('remote codec endpoint for the Temporal Web UI', () => {
  it('decodes what the workers encode, and answers the UI origin with CORS headers', async () => {
    const payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"email":"a@b.c"}') };
    const [encrypted] = await payloadCodecFor(h.secrets).encode([payload]);
    const asJson = {
      metadata: Object.fromEntries(Object.entries(encrypted.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(encrypted.data!).toString('base64'),
    };
    const decoded = await http(h.api.url, 'POST', '/codec/decode', { body: { payloads: [asJson] } });
    expect(decoded.status).toBe(200);
    expect(Buffer.from(decoded.body.payloads[0].data, 'base64').toString()).toBe('{"email":"a@b.c"}');
    const preflight = await fetch(`${h.api.url}/codec/decode`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
  });

  it('offers no /codec/encode: nobody outside the workers mints payloads the workflows trust', async () => {
    const payload = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('{}').toString('base64') };
    const res = await http(h.api.url, 'POST', '/codec/encode', { body: { payloads: [payload] } });
    expect(res.status).toBe(404);
  });
});
