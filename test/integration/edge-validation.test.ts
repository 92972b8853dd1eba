/**
 * Input validation at the edge: credentials that cannot be decoded, unbounded page numbers and ids of the wrong
 * shape are refused in the documented error shape before anything reads the database or reaches Temporal.
 */
import { staffHeaders } from '../support/staff';
import { startHarness, type Harness } from '../support/harness';
import { createTenant, http, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('edge', { withWorker: false });
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

const basic = (raw: string) => `Basic ${Buffer.from(raw).toString('base64')}`;
const askToken = (authorization: string) =>
  fetch(`${h.api.url}/api/v2.1/oauth/token`, {
    method: 'POST',
    headers: { authorization },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });

describe('POST /api/v2.1/oauth/token with HTTP Basic credentials', () => {
  it.each([
    ['a malformed percent-escape in the id', () => basic(`%zz${tenant.clientId}:${tenant.clientSecret}`)],
    ['a truncated percent-escape in the secret', () => basic(`${tenant.clientId}:${tenant.clientSecret}%E0%A4%A`)],
    ['no colon between id and secret', () => basic(`${tenant.clientId}${tenant.clientSecret}`)],
  ])('answers %s with 400 invalid_request in the OAuth shape', async (_name, header) => {
    const res = await askToken(header());
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: expect.stringMatching(/Basic/) });
  });

  it('still decodes percent-encoded credentials (RFC 6749 §2.3.1)', async () => {
    const encoded = basic(`${encodeURIComponent(tenant.clientId)}:${encodeURIComponent(tenant.clientSecret)}`);
    expect((await askToken(encoded)).status).toBe(200);
  });
});

describe('GET /v2/customer/status/{customerStatus} pagination', () => {
  const list = (query: string) => tenant.call('GET', `/v2/customer/status/ACTIVE?${query}`);

  it.each([
    ['page', 'page=1e300'],
    ['page', 'page=1000000'],
    ['page', 'page=0x10'],
    ['page', 'page=1&page=2'],
    ['page_size', 'page_size=101'],
    ['page_size', 'page_size=1.5'],
    ['sort', 'sort=email'],
  ])('answers 400 VALIDATION_ERROR naming %s for %s', async (field, query) => {
    const res = await list(query);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'VALIDATION_ERROR', message: expect.any(String), details: [expect.objectContaining({ field })] });
  });

  it('serves the last allowed page', async () => {
    const res = await list('page=1000&page_size=100');
    expect(res.status).toBe(200);
    expect(res.body.pagination).toEqual({ page: 1000, page_size: 100, total: 0 });
  });
});

describe('id path parameters', () => {
  const MALFORMED = ['cust_x%2Fy', 'cust_0000000000000000000000000', 'CUST_000000000000000000000000', '..%2Fcust_000000000000000000000000', '%E2%80%AE'];

  it.each([
    ['GET', '/api/v2.1/customer/{id}'],
    ['GET', '/api/v2.1/customer/{id}/onboarding'],
    ['POST', '/api/v2.1/customer/{id}/verification'],
    ['GET', '/v2/customer/{id}'],
    ['GET', '/v2/verification-history/{id}'],
    ['PUT', '/v2/persons/{id}/SUSPENDED'],
  ])('%s %s refuses malformed customer ids with 400 naming customerId', async (method, template) => {
    for (const id of MALFORMED) {
      const res = await tenant.call(method, template.replace('{id}', id));
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'customerId', message: expect.stringMatching(/cust_/) }]);
    }
  });

  it('refuses a malformed profile id the same way', async () => {
    const res = await tenant.call('PUT', '/v2/profile/cust_a%2Fb', {});
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'profileId', message: expect.stringMatching(/cust_/) }]);
  });

  it('refuses malformed tenant ids on the admin routes with 400 naming tenantId', async () => {
    const admin = await staffHeaders(h, 'PLATFORM_ADMIN');
    for (const [method, path, body] of [
      ['GET', '/api/v2.1/admin/tenants/tnt_a%2Fb/settings', undefined],
      ['PUT', '/api/v2.1/admin/tenants/tnt_a%2Fb/settings', {}],
      ['POST', '/api/v2.1/admin/tenants/tnt_a%2Fb/api-keys', { label: 'x' }],
    ] as const) {
      const res = await http(h.api.url, method, path, { body, headers: admin });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'tenantId', message: expect.stringMatching(/tnt_/) }]);
    }
  });

  it('still answers 404 for a well-formed id nobody has', async () => {
    expect((await tenant.call('GET', '/api/v2.1/customer/cust_0123456789abcdef01234567')).status).toBe(404);
  });

  it('answers a path that cannot be percent-decoded with 400, not 500', async () => {
    const res = await tenant.call('GET', '/api/v2.1/customer/cust_%zz');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'VALIDATION_ERROR', message: expect.any(String), details: [{ field: 'path', message: expect.any(String) }] });
  });
});
