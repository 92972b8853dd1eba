/**
 * The TPP register over HTTP, as a tenant calls it: register, list (filters, cursor pages), read, change; the
 * authorisation number unique per tenant; REVOKED final; another tenant's TPP a 404; SCT12 only (a PROFESSIONAL
 * tenant gets the capability gate's 403 on every route).
 */
import { startHarness, type Harness } from '../support/harness';
import { INSUFFICIENT_PERMISSIONS } from '../support/tenancy';
import { createTenant, type TenantSession } from '../support/tenant-client';
import { enterpriseTenant, registerTpp, tppRequest, TPPS } from '../support/tpp';

let h: Harness;
let tenant: TenantSession;
let other: TenantSession;

beforeAll(async () => {
  h = await startHarness('tpp_registry', { withWorker: false });
  tenant = await enterpriseTenant(h);
  other = await enterpriseTenant(h, 'Other Bank');
});
afterAll(() => h?.close());

const fieldsOf = (body: { details?: Array<{ field: string }> }) => body.details?.map((d) => d.field);

describe('registering', () => {
  it('answers 201 with the TPP, ACTIVE, and stores it under the tenant', async () => {
    const request = tppRequest({ roles: ['CBPII', 'AISP'] });
    const res = await tenant.call('POST', TPPS, request);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      data: {
        id: expect.stringMatching(/^tpp_[0-9a-f]{24}$/),
        name: 'Budget Buddy B.V.',
        authorisation_number: request.authorisation_number,
        competent_authority: 'De Nederlandsche Bank',
        country: 'NLD',
        roles: ['CBPII', 'AISP'],
        status: 'ACTIVE',
        created_at: expect.any(String),
        updated_at: expect.any(String),
      },
    });
    const row = await h.db('tpps').where({ id: res.body.data.id }).first();
    expect(row).toMatchObject({ tenant_id: tenant.tenantId, status: 'ACTIVE', roles: ['CBPII', 'AISP'], country: 'NLD' });
  });

  it.each([
    ['name', { name: '' }],
    ['name', { name: undefined }],
    ['authorisation_number', { authorisation_number: 'bad\nnumber' }],
    ['country', { country: 'NL' }],
    ['country', { country: 'XXX' }],
    ['roles', { roles: [] }],
    ['roles', { roles: ['AISP', 'AISP'] }],
    ['roles.0', { roles: ['BANK'] }],
    ['colour', { colour: 'blue' }],
  ])('answers 400 naming %s for %j', async (field, change) => {
    const res = await tenant.call('POST', TPPS, tppRequest(change));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'VALIDATION_ERROR', message: expect.any(String) });
    expect(fieldsOf(res.body)).toContain(field);
  });

  it('answers 409 for an authorisation number already registered in the tenant, and allows it in another tenant', async () => {
    const request = tppRequest();
    expect((await tenant.call('POST', TPPS, request)).status).toBe(201);
    const again = await tenant.call('POST', TPPS, { ...request, name: 'Another name' });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: 'CONFLICT', message: 'A TPP with this authorisation number is already registered' });
    expect((await other.call('POST', TPPS, request)).status).toBe(201);
    expect(await h.db('tpps').where({ tenant_id: tenant.tenantId, authorisation_number: request.authorisation_number })).toHaveLength(1);
  });
});

describe('listing and reading', () => {
  it('lists the tenant\'s TPPs at /v2/customer/tpps newest first, by status and role, in cursor pages', async () => {
    const lister = await enterpriseTenant(h, 'Lister Bank');
    const aisp = await registerTpp(lister, { roles: ['AISP'] });
    const pisp = await registerTpp(lister, { roles: ['PISP'] });
    const both = await registerTpp(lister, { roles: ['AISP', 'PISP'] });
    await registerTpp(other);
    expect((await lister.call('PATCH', `${TPPS}/${pisp}`, { status: 'SUSPENDED' })).status).toBe(200);

    const all = await lister.call('GET', TPPS);
    expect(all.status).toBe(200);
    expect(all.body.data.map((t: { id: string }) => t.id)).toEqual([both, pisp, aisp]);
    expect(all.body.next_cursor).toBeNull();

    const ids = async (query: string) => (await lister.call('GET', `${TPPS}?${query}`)).body.data.map((t: { id: string }) => t.id);
    expect(await ids('role=AISP')).toEqual([both, aisp]);
    expect(await ids('status=SUSPENDED')).toEqual([pisp]);
    expect(await ids('status=ACTIVE&role=PISP')).toEqual([both]);

    const first = await lister.call('GET', `${TPPS}?limit=2`);
    expect(first.body.data.map((t: { id: string }) => t.id)).toEqual([both, pisp]);
    const second = await lister.call('GET', `${TPPS}?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body).toEqual({ data: [expect.objectContaining({ id: aisp })], next_cursor: null });
  });

  it.each([['status=GONE', 'status'], ['role=BANK', 'role'], ['limit=0', 'limit'], ['cursor=nonsense', 'cursor'], ['page=2', 'page']])(
    'answers 400 for the query %s',
    async (query, field) => {
      const res = await tenant.call('GET', `${TPPS}?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('VALIDATION_ERROR');
      expect(fieldsOf(res.body)).toContain(field);
    },
  );

  it("reads one TPP; another tenant's or a missing one is 404, a malformed id 400", async () => {
    const id = await registerTpp(tenant);
    const res = await tenant.call('GET', `${TPPS}/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id, status: 'ACTIVE' });
    expect(await other.call('GET', `${TPPS}/${id}`)).toMatchObject({ status: 404, body: { error: 'NOT_FOUND', message: 'TPP not found' } });
    expect((await tenant.call('GET', `${TPPS}/tpp_000000000000000000000000`)).status).toBe(404);
    const malformed = await tenant.call('GET', `${TPPS}/nope`);
    expect(malformed.status).toBe(400);
    expect(fieldsOf(malformed.body)).toEqual(['tppId']);
  });
});

describe('changing', () => {
  it('renames, changes roles and suspends; answers the TPP as changed and stores it', async () => {
    const id = await registerTpp(tenant);
    const res = await tenant.call('PATCH', `${TPPS}/${id}`, { name: 'Budget Buddy', roles: ['AISP'], status: 'SUSPENDED' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id, name: 'Budget Buddy', roles: ['AISP'], status: 'SUSPENDED' });
    expect(await h.db('tpps').where({ id }).first()).toMatchObject({ name: 'Budget Buddy', roles: ['AISP'], status: 'SUSPENDED' });
    expect((await tenant.call('PATCH', `${TPPS}/${id}`, { status: 'ACTIVE' })).body.data.status).toBe('ACTIVE');
  });

  it.each([
    ['body', {}],
    ['status', { status: 'DELETED' }],
    ['roles', { roles: [] }],
    ['id', { id: 'tpp_000000000000000000000000' }],
  ])('answers 400 naming %s for %j', async (field, body) => {
    const id = await registerTpp(tenant);
    const res = await tenant.call('PATCH', `${TPPS}/${id}`, body);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toContain(field);
  });

  it("answers 404 for another tenant's TPP and leaves it unchanged", async () => {
    const id = await registerTpp(tenant);
    expect((await other.call('PATCH', `${TPPS}/${id}`, { status: 'REVOKED' })).status).toBe(404);
    expect(await h.db('tpps').where({ id }).first()).toMatchObject({ status: 'ACTIVE' });
  });

  it('keeps a REVOKED TPP revoked: any change after it is 409', async () => {
    const id = await registerTpp(tenant);
    expect((await tenant.call('PATCH', `${TPPS}/${id}`, { status: 'REVOKED' })).body.data.status).toBe('REVOKED');
    for (const change of [{ status: 'ACTIVE' }, { status: 'SUSPENDED' }, { name: 'Renamed' }]) {
      const res = await tenant.call('PATCH', `${TPPS}/${id}`, change);
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ error: 'CONFLICT', message: 'The TPP is REVOKED, which is final' });
    }
    expect(await h.db('tpps').where({ id }).first()).toMatchObject({ status: 'REVOKED', name: 'Budget Buddy B.V.' });
  });
});

describe('the capability gate (SCT12: Enterprise and Custom)', () => {
  it('answers a PROFESSIONAL tenant 403 on every TPP route, before reading anything', async () => {
    const professional = await createTenant(h, 'Professional Bank');
    const id = 'tpp_000000000000000000000000';
    const consents = '/v2/customer/cust_000000000000000000000000/tpp-consents';
    const consent = `${consents}/tpc_000000000000000000000000`;
    for (const [method, path, body] of [
      ['POST', TPPS, tppRequest()],
      ['GET', TPPS],
      ['GET', `${TPPS}/${id}`],
      ['PATCH', `${TPPS}/${id}`, { status: 'SUSPENDED' }],
      ['POST', consents, { tpp_id: id, scopes: ['ACCOUNTS_READ'], expires_at: new Date(Date.now() + 86_400_000).toISOString() }],
      ['GET', consents],
      ['GET', consent],
      ['DELETE', consent],
      ['POST', `${consent}/authorization`, { tpp_id: id, scope: 'ACCOUNTS_READ' }],
    ] as Array<[string, string, unknown?]>) {
      const res = await professional.call(method, path, body);
      expect([method, path, res.status, res.body]).toEqual([method, path, 403, INSUFFICIENT_PERMISSIONS]);
    }
    expect(await h.db('tpps').where({ tenant_id: professional.tenantId })).toEqual([]);
  });
});

it('documents every TPP route in the OpenAPI document with its schemas', async () => {
  const doc = (await tenant.call('GET', '/openapi.json')).body;
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining([
      TPPS,
      `${TPPS}/{tppId}`,
      '/v2/customer/{customerId}/tpp-consents',
      '/v2/customer/{customerId}/tpp-consents/{consentId}',
      '/v2/customer/{customerId}/tpp-consents/{consentId}/authorization',
    ]),
  );
  expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Tpp', 'TppPage', 'TppConsent', 'TppConsentPage', 'TppAuthorization', 'TppAccessRefused']));
  expect(doc.paths[`${TPPS}/{tppId}`].patch.responses['409']).toBeDefined();
});

it('records a call whose path names `toString` in the audit trail like any other (no prototype lookup)', async () => {
  const res = await tenant.call('PATCH', `${TPPS}/toString`, { status: 'SUSPENDED' });
  expect(res.status).toBe(400);
  const deadline = Date.now() + 5_000;
  let row: { target_type: string; status: number } | undefined;
  while (!row && Date.now() < deadline) {
    row = await h.db('audit_events').where({ tenant_id: tenant.tenantId, target_id: 'toString' }).first('target_type', 'status');
    if (!row) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(row).toEqual({ target_type: 'tpp', status: 400 });
});
