import { pdfFile, upload } from '../support/documents';
import { startHarness, type Harness } from '../support/harness';
import { createTenant, http, registration, type TenantSession } from '../support/tenant-client';
import { staffHeaders, staffSession } from '../support/staff';
import type { StaffRole } from '../../common/access';

let h: Harness;
let tenantA: TenantSession;
let tenantB: TenantSession;

beforeAll(async () => {
  h = await startHarness('audit_trail');
  tenantA = await createTenant(h, 'Audit Bank A');
  tenantB = await createTenant(h, 'Audit Bank B');
});
afterAll(() => h?.close());

const REGISTRATION = 'POST /api/v2.1/customer/individual/registration';
/** One staff member holding every platform-wide role: decisions (compliance) and the trail (auditor). */
const ALL_PLATFORM_ROLES: StaffRole[] = ['PLATFORM_ADMIN', 'COMPLIANCE_OFFICER', 'OPERATOR', 'AUDITOR'];
const admin = async (extra: Record<string, string> = {}) => ({ ...(await staffHeaders(h, ...ALL_PLATFORM_ROLES)), ...extra });
const rowsOf = (requestId: string) => h.db('audit_events').where({ request_id: requestId });
const staffAudit = async (query: string) => http(h.api.url, 'GET', `/api/v2.1/admin/audit?${query}`, { headers: await admin() });
const count = async () => Number((await h.db('audit_events').count({ n: '*' }).first())!.n);

/** Registers an individual with a name and e-mail that must never reach the trail. */
async function registerMarked(tenant: TenantSession, requestId: string) {
  const body = registration({ firstName: 'Zephyrine', lastName: 'Quillfeather', email: `zephyrine.${requestId}@example.com` });
  const res = await http(h.api.url, 'POST', '/api/v2.1/customer/individual/registration', {
    body,
    headers: { ...tenant.headers, 'x-request-id': requestId },
  });
  expect(res.status).toBe(201);
  return { res, body };
}

describe('what a state-changing call leaves in the trail', () => {
  it("records a tenant's registration: its credential, the action, the customer, the tenant, the request id and IP, and field names only", async () => {
    const { res, body } = await registerMarked(tenantA, 'req-audit-registration-a1');
    expect(res.headers.get('x-request-id')).toBe('req-audit-registration-a1');

    const rows = await rowsOf('req-audit-registration-a1');
    expect(rows).toEqual([
      expect.objectContaining({
        actor_type: 'tenant',
        actor_id: `oauth:${tenantA.clientId}`,
        action: REGISTRATION,
        target_type: 'customer',
        target_id: res.body.customerId,
        tenant_id: tenantA.tenantId,
        ip: '127.0.0.1',
        status: 201,
        changes: { fields: expect.arrayContaining(['email', 'firstName', 'lastName', 'password', 'termsAccepted']), values: {} },
      }),
    ]);
    const stored = JSON.stringify(rows[0]);
    for (const personal of [body.email, 'Zephyrine', 'Quillfeather', body.password]) expect(stored).not.toContain(personal);
    expect(Math.abs(new Date(rows[0].occurred_at).getTime() - Date.now())).toBeLessThan(10 * 60_000);
  });

  it('gives a call without a sane X-Request-Id a new one, echoed to the caller and recorded', async () => {
    const res = await http(h.api.url, 'POST', '/api/v2.1/customer/individual/registration', {
      body: registration(),
      headers: { ...tenantA.headers, 'x-request-id': 'bad id with spaces' },
    });
    expect(res.status).toBe(201);
    const given = res.headers.get('x-request-id')!;
    expect(given).toMatch(/^[0-9a-f-]{36}$/);
    expect(await rowsOf(given)).toEqual([expect.objectContaining({ action: REGISTRATION, target_id: res.body.customerId })]);
  });

  it("records a staff decision on a tenant's document with the staff member from the guard and the tenant of the document", async () => {
    const customerId = (await registerMarked(tenantA, 'req-audit-doc-owner')).res.body.customerId;
    const uploaded = await upload(h, tenantA, customerId, { bytes: pdfFile(20_000), fileName: 'passport.pdf', contentType: 'application/pdf', fields: { type: 'PASSPORT' } });
    expect(uploaded.status).toBe(201);
    const decided = await http(h.api.url, 'PUT', `/api/v2.1/admin/documents/${uploaded.body.documentId}/status`, {
      body: { status: 'ACCEPTED' },
      headers: await admin({ 'x-request-id': 'req-audit-staff-decision' }),
    });
    expect(decided.status).toBe(200);

    expect(await rowsOf('req-audit-staff-decision')).toEqual([
      expect.objectContaining({
        actor_type: 'staff',
        actor_id: (await staffSession(h, ALL_PLATFORM_ROLES)).staffId,
        action: 'PUT /api/v2.1/admin/documents/{documentId}/status',
        target_type: 'document',
        target_id: uploaded.body.documentId,
        tenant_id: tenantA.tenantId,
        ip: '127.0.0.1',
        status: 200,
        changes: { fields: ['status'], values: { status: 'ACCEPTED' } },
      }),
    ]);
  });

  it('records refused calls (4xx) of an authenticated caller with their status, and neither unauthenticated calls nor reads', async () => {
    const invalid = await http(h.api.url, 'POST', '/api/v2.1/customer/individual/registration', {
      body: { firstName: 'Zephyrine', email: 'not-an-email' },
      headers: { ...tenantA.headers, 'x-request-id': 'req-audit-refused-400' },
    });
    expect(invalid.status).toBe(400);
    expect(await rowsOf('req-audit-refused-400')).toEqual([
      expect.objectContaining({ actor_id: `oauth:${tenantA.clientId}`, status: 400, target_id: null, changes: { fields: ['email', 'firstName'], values: {} } }),
    ]);

    const customerId = (await registerMarked(tenantA, 'req-audit-not-in-review')).res.body.customerId;
    const notInReview = await http(h.api.url, 'POST', `/api/v2.1/admin/customers/${customerId}/kyc-decision`, {
      body: { decision: 'APPROVE', reason: 'Documents checked by officer.zephyrine@platform.example' },
      headers: await admin({ 'x-request-id': 'req-audit-refused-409' }),
    });
    expect(notInReview.status).toBe(409);
    const [refused] = await rowsOf('req-audit-refused-409');
    expect(refused).toMatchObject({ actor_type: 'staff', target_type: 'customer', target_id: customerId, tenant_id: tenantA.tenantId, status: 409 });
    expect(refused.changes).toEqual({ fields: ['decision', 'reason'], values: { decision: 'APPROVE' } });
    expect(JSON.stringify(refused)).not.toContain('zephyrine');

    const before = await count();
    const unauthenticated = await http(h.api.url, 'POST', '/api/v2.1/customer/individual/registration', {
      body: registration(),
      headers: { authorization: 'Bearer nope', 'x-tenant-id': tenantA.tenantId },
    });
    expect(unauthenticated.status).toBe(401);
    expect((await tenantA.call('GET', `/api/v2.1/customer/${customerId}`)).status).toBe(200);
    expect(await count()).toBe(before);
  });
});

describe('GET /api/v2.1/admin/audit', () => {
  it('filters by tenant, actor, target, action and time, newest first', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const { res } = await registerMarked(tenantB, 'req-audit-filter-b1');
    const customerId = res.body.customerId;

    const byTenant = await staffAudit(`tenantId=${tenantB.tenantId}`);
    expect(byTenant.status).toBe(200);
    expect(byTenant.body.data.length).toBeGreaterThan(0);
    expect(byTenant.body.data.every((e: { tenantId: string }) => e.tenantId === tenantB.tenantId)).toBe(true);
    expect(byTenant.body.data[0]).toEqual({
      id: expect.any(String),
      occurredAt: expect.any(String),
      actor: { type: 'tenant', id: `oauth:${tenantB.clientId}` },
      action: REGISTRATION,
      target: { type: 'customer', id: customerId },
      tenantId: tenantB.tenantId,
      requestId: 'req-audit-filter-b1',
      ip: '127.0.0.1',
      status: 201,
      changes: expect.objectContaining({ values: {} }),
      prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const byTarget = await staffAudit(`targetType=customer&targetId=${customerId}`);
    expect(byTarget.body.data.map((e: { requestId: string }) => e.requestId)).toEqual(['req-audit-filter-b1']);

    const byActor = await staffAudit(`actorType=tenant&actorId=${encodeURIComponent(`oauth:${tenantB.clientId}`)}&from=${encodeURIComponent(since)}`);
    expect(byActor.body.data.map((e: { requestId: string }) => e.requestId)).toEqual(['req-audit-filter-b1']);

    const staffOnly = await staffAudit(`actorType=staff&action=${encodeURIComponent('PUT /api/v2.1/admin/documents/{documentId}/status')}`);
    expect(staffOnly.body.data.length).toBeGreaterThan(0);
    expect(staffOnly.body.data.every((e: { actor: { type: string }; action: string }) => e.actor.type === 'staff' && e.action.startsWith('PUT /api/v2.1/admin/documents/'))).toBe(true);

    const beforeAll = await staffAudit(`to=${encodeURIComponent('2000-01-01T00:00:00Z')}`);
    expect(beforeAll.body).toEqual({ data: [], nextCursor: null });
  });

  it('pages with a cursor, without gaps or repeats', async () => {
    const all = await staffAudit('limit=100');
    const ids: string[] = [];
    let cursor = '';
    for (let page = 0; page < 100; page++) {
      const res = await staffAudit(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      ids.push(...res.body.data.map((e: { id: string }) => e.id));
      if (!res.body.nextCursor) break;
      cursor = res.body.nextCursor;
    }
    expect(ids).toEqual(all.body.data.map((e: { id: string }) => e.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses malformed filters and callers who are not staff', async () => {
    expect((await staffAudit('cursor=abc')).status).toBe(400);
    expect((await staffAudit('from=yesterday')).status).toBe(400);
    expect((await staffAudit('actorType=robot')).status).toBe(400);
    expect((await http(h.api.url, 'GET', '/api/v2.1/admin/audit', { headers: tenantA.headers })).status).toBe(401);
  });
});

describe("GET /api/v2.1/audit (a tenant's own trail)", () => {
  it("shows a tenant its own rows only, staff acting on its objects under a pseudonym, and never another tenant's rows", async () => {
    await registerMarked(tenantB, 'req-audit-isolation-b2');
    const ownA = await http(h.api.url, 'GET', '/api/v2.1/audit?limit=100', { headers: tenantA.headers });
    expect(ownA.status).toBe(200);
    expect(ownA.body.data.length).toBeGreaterThan(0);
    expect(ownA.body.data.every((e: { tenantId: string }) => e.tenantId === tenantA.tenantId)).toBe(true);
    expect(ownA.body.data.map((e: { requestId: string }) => e.requestId)).not.toContain('req-audit-isolation-b2');

    const staffRow = ownA.body.data.find((e: { requestId: string }) => e.requestId === 'req-audit-staff-decision');
    expect(staffRow).toMatchObject({ actor: { type: 'staff', id: expect.stringMatching(/^staff_[0-9a-f]{20}$/) }, ip: null, status: 200 });
    expect(staffRow).not.toHaveProperty('hash');
    // The staff member's real id stays out of the tenant's view: only the pseudonym.
    expect(JSON.stringify(ownA.body)).not.toContain((await staffSession(h, ALL_PLATFORM_ROLES)).staffId);

    // The filters cannot reach past the tenant: there is no tenantId filter, and filtering on another tenant's
    // customer finds nothing.
    expect((await http(h.api.url, 'GET', `/api/v2.1/audit?tenantId=${tenantB.tenantId}`, { headers: tenantA.headers })).status).toBe(400);
    const [bRow] = await rowsOf('req-audit-isolation-b2');
    const foreign = await http(h.api.url, 'GET', `/api/v2.1/audit?targetType=customer&targetId=${bRow.target_id}`, { headers: tenantA.headers });
    expect(foreign.body).toEqual({ data: [], nextCursor: null });
    const sameFilterAsB = await http(h.api.url, 'GET', `/api/v2.1/audit?targetType=customer&targetId=${bRow.target_id}`, { headers: tenantB.headers });
    expect(sameFilterAsB.body.data.map((e: { requestId: string }) => e.requestId)).toEqual(['req-audit-isolation-b2']);
    const ownB = await http(h.api.url, 'GET', '/api/v2.1/audit?limit=100', { headers: tenantB.headers });
    expect(ownB.body.data.map((e: { requestId: string }) => e.requestId)).toContain('req-audit-isolation-b2');
    expect(ownB.body.data.every((e: { tenantId: string }) => e.tenantId === tenantB.tenantId)).toBe(true);
    const aTargets = new Set(ownA.body.data.map((e: { target: { id: string } | null }) => e.target?.id));
    expect(ownB.body.data.some((e: { target: { id: string } | null }) => e.target && aTargets.has(e.target.id))).toBe(false);
  });
});
