/**
 * A customer's token reaches that customer's own objects and nothing else: every route of the OpenAPI document is
 * called with customer B's token against customer A's ids, an organization's, and another tenant's ids. Every
 * answer must be a refusal (401, 403 or 404): no 2xx and no 5xx.
 */
import { startHarness, type Harness } from '../support/harness';
import { login, registeredAndSignedIn, type CustomerSession } from '../support/customer-session';
import { pdfFile, upload } from '../support/documents';
import { register } from '../support/journey';
import { createOrganization } from '../support/organizations';
import { http, type TenantSession } from '../support/tenant-client';
import { tenantWithAccess } from '../support/tenancy';

let h: Harness;
let tenant: TenantSession;
let otherTenant: TenantSession;

/**
 * Every capability, so each route's handler is reached (TPP routes included), and a budget the walk cannot use up:
 * a 429 would hide the route's own answer (and B's session check) behind the rate limit.
 */
const EVERYTHING = { tier: 'CUSTOM', customCapabilities: ['SCT01', 'SCT02', 'SCT11', 'SCT12'], customRatePerMinute: 1_000_000 };

beforeAll(async () => {
  h = await startHarness('customer_isolation');
  tenant = await tenantWithAccess(h, EVERYTHING, 'Test Bank');
  otherTenant = await tenantWithAccess(h, EVERYTHING, 'Other Bank');
});
afterAll(() => h?.close());

/** Routes without a credential: a customer token means nothing to them (the customer's own login among them). */
const PUBLIC_ROUTES = [
  'post /api/v2.1/customer/auth/login',
  'post /api/v2.1/customer/auth/login/2fa',
  'post /api/v2.1/customer/auth/password-reset',
  'post /api/v2.1/customer/auth/password-reset/confirm',
  'post /api/v2.1/customer/auth/refresh',
  'post /api/v2.1/oauth/token',
  'post /api/v2.1/staff/auth/enrolment',
  'post /api/v2.1/staff/auth/enrolment/confirmation',
  'post /api/v2.1/staff/auth/login',
  'post /api/v2.1/webhooks/kyb/{provider}',
  'post /api/v2.1/webhooks/kyc/{provider}',
];

interface Operation {
  method: string;
  path: string;
  parameters?: Array<{ in: string; name: string; schema?: { example?: unknown; enum?: unknown[] } }>;
  security: Array<Record<string, string[]>>;
}

async function operations(): Promise<Operation[]> {
  const document = (await http(h.api.url, 'GET', '/openapi.json')).body;
  return Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method, path, parameters: op.parameters, security: op.security ?? [] })),
  );
}

/** Fills the path: the ids given, else the schema's first enum value or its example. */
function fill(op: Operation, ids: Record<string, string>): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (ids[name]) return ids[name]!;
    const schema = op.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema;
    return String(schema?.enum?.[0] ?? schema?.example ?? 'x');
  });
}

async function idsOf(t: TenantSession, session?: CustomerSession) {
  const customer = await register(t);
  const organization = await createOrganization(h, t.tenantId);
  const document = await upload(h, t, customer.customerId, { bytes: pdfFile(), fileName: 'passport.pdf', contentType: 'application/pdf', fields: { type: 'PASSPORT' } });
  expect(document.status).toBe(201);
  const customerId = session?.customerId ?? customer.customerId;
  return {
    customerId,
    profileId: customerId,
    subjectId: customerId,
    organizationId: organization.organizationId,
    orgId: organization.organizationId,
    documentId: document.body.documentId as string,
    tenantId: t.tenantId,
  };
}

describe("another customer's token", () => {
  it('is refused on every route for customer A, an organization and another tenant: 0 leaks', async () => {
    const signedIn = await registeredAndSignedIn(h, tenant);
    let b = signedIn.session;
    const targets = [
      { label: "customer A's ids", ids: await idsOf(tenant), tenantHeader: tenant.tenantId },
      { label: "another tenant's ids", ids: await idsOf(otherTenant), tenantHeader: tenant.tenantId },
      { label: "another tenant's ids, under its name", ids: await idsOf(otherTenant), tenantHeader: otherTenant.tenantId },
    ];
    const ops = await operations();
    const publicOps = ops.filter((op) => op.security.length === 0).map((op) => `${op.method} ${op.path}`);
    expect(publicOps.sort()).toEqual([...PUBLIC_ROUTES].sort());

    const leaks: string[] = [];
    let calls = 0;
    for (const op of ops.filter((o) => o.security.length > 0)) {
      for (const { label, ids, tenantHeader } of targets) {
        const path = fill(op, ids);
        const body = op.method === 'get' || op.method === 'delete' ? undefined : {};
        const res = await http(h.api.url, op.method.toUpperCase(), path, { body, headers: { authorization: `Bearer ${b.accessToken}`, 'x-tenant-id': tenantHeader } });
        calls++;
        // A 404 must come from the route refusing, not from a path the walk filled wrongly.
        const unrouted = typeof res.body?.message === 'string' && res.body.message.startsWith('No route for');
        if (![401, 403, 404].includes(res.status) || unrouted) leaks.push(`${op.method.toUpperCase()} ${path} (${label}): ${res.status}`);
        // A call that ended B's own session would hide every later answer behind a 401: it is a leak, and B signs in again.
        if ((await b.call('GET', signedIn.path)).status !== 200) {
          leaks.push(`${op.method.toUpperCase()} ${path} (${label}) ended B's session`);
          b = await login(h, tenant.tenantId, signedIn.email);
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(calls).toBeGreaterThan(3 * 40);
  });

  it("refuses the customer's own token on every route not open to customers (401), with the customer's own ids", async () => {
    const { session } = await registeredAndSignedIn(h, tenant);
    const ids = await idsOf(tenant, session);
    const ops = (await operations()).filter((op) => op.security.length > 0 && !op.security.some((s) => 'customerSession' in s));
    const answers: string[] = [];
    for (const op of ops) {
      const res = await session.call(op.method.toUpperCase(), fill(op, ids), op.method === 'get' || op.method === 'delete' ? undefined : {});
      if (res.status !== 401) answers.push(`${op.method.toUpperCase()} ${op.path}: ${res.status}`);
    }
    expect(answers).toEqual([]);
    expect(ops.length).toBeGreaterThan(20);
  });
});
