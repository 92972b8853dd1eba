/**
 * The errors every after-onboarding route (issue 11) documents for access, over every such route the OpenAPI
 * document lists, so a route added later is covered without being named here: 401 without a token, 403 for a
 * tenant whose tier lacks the route's capability, 403 for a token of another tenant, and, where a customer's own
 * session may call it, 404 for a session of another customer. Nothing is written by any of them.
 */
import { registeredAndSignedIn, type CustomerSession } from '../support/customer-session';
import { startHarness, type Harness } from '../support/harness';
import { INSUFFICIENT_PERMISSIONS, tenantWithAccess } from '../support/tenancy';
import { createTenant, http, type TenantSession } from '../support/tenant-client';

const TAGS = new Set(['Customer groups', 'Third-party providers', 'Beneficiaries', 'Preferences', 'Profiles']);
const isWithdrawal = (path: string) => path.endsWith('/consents/{type}/withdrawal');
const ISSUE_11_TABLES = ['customer_groups', 'customer_group_members', 'tpps', 'tpp_consents', 'beneficiaries', 'contact_changes', 'profile_changes', 'customer_preferences', 'customer_preference_changes', 'consents'];

interface Operation {
  method: string;
  path: string;
  capabilities: string[];
  customerSession: boolean;
  params: Array<{ name: string; pattern?: string }>;
}

let h: Harness;
let enterprise: TenantSession;
let other: TenantSession;
let documentsOnly: TenantSession;
let alice: CustomerSession;
let bob: string;
let operations: Operation[];

beforeAll(async () => {
  h = await startHarness('after-onboarding-access');
  [enterprise, other, documentsOnly] = await Promise.all([
    tenantWithAccess(h, { tier: 'ENTERPRISE' }, 'Access Bank'),
    createTenant(h, 'Other Access Bank'),
    tenantWithAccess(h, { tier: 'CUSTOM', customCapabilities: ['SCT11'] }, 'Documents Only Bank'),
  ]);
  alice = (await registeredAndSignedIn(h, enterprise)).session;
  bob = (await registeredAndSignedIn(h, enterprise)).customerId;
  const { body: doc } = await http(h.api.url, 'GET', '/openapi.json');
  operations = Object.entries<Record<string, any>>(doc.paths).flatMap(([path, item]) =>
    Object.entries<any>(item)
      .filter(([, op]) => op.tags?.some((tag: string) => TAGS.has(tag)) || isWithdrawal(path))
      .map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        capabilities: /Capability: ([^.]+)\./.exec(op.description ?? '')?.[1]?.split(' or ') ?? [],
        customerSession: (op.security ?? []).some((s: Record<string, unknown>) => 'customerSession' in s),
        params: (op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => ({ name: p.name, pattern: p.schema?.pattern })),
      })),
  );
}, 120_000);
afterAll(() => h?.close());

/** The path with a well-formed id nobody has for each parameter (`customerId` given), MARKETING for a consent type. */
function pathOf(op: Operation, customerId: string): string {
  return op.params.reduce((path, { name, pattern }) => {
    const prefix = /^\^(\w+)_/.exec(pattern ?? '')?.[1];
    const value = name === 'customerId' || name === 'profileId' ? customerId : name === 'type' ? 'MARKETING' : `${prefix ?? 'x'}_${'0'.repeat(23)}1`;
    return path.replace(`{${name}}`, value);
  }, op.path);
}

const nobody = 'cust_000000000000000000000001';
const rowCounts = async () => Promise.all(ISSUE_11_TABLES.map(async (t) => [t, Number((await h.db(t).count({ n: '*' }))[0]!.n)]));
const answers = async (op: Operation, path: string, headers: Record<string, string>) => {
  const res = await http(h.api.url, op.method, path, { headers, body: op.method === 'GET' || op.method === 'DELETE' ? undefined : {} });
  return [op.method, op.path, res.status, res.body];
};

it('finds every after-onboarding route in the OpenAPI document, each behind a capability', () => {
  const names = operations.map((op) => `${op.method} ${op.path}`);
  for (const expected of [
    'POST /v2/customer/groups',
    'DELETE /v2/customer/groups/{groupId}/members/{customerId}',
    'GET /v2/customer/{customerId}/groups',
    'PATCH /v2/customer/tpps/{tppId}',
    'POST /v2/customer/{customerId}/tpp-consents/{consentId}/authorization',
    'POST /v2/customer/{customerId}/beneficiaries/{beneficiaryId}/confirmation/resend',
    'POST /v2/customer/{customerId}/contact-changes/{changeId}/verification',
    'GET /v2/customer/profiles',
    'PUT /v2/customer/{customerId}/category',
    'PUT /v2/profile/{profileId}',
    'GET /v2/profile/{customerId}/changes',
  ]) expect(names).toContain(expected);
  expect(names.filter((name) => name.includes('withdrawal'))).toHaveLength(1);
  expect(operations.length).toBeGreaterThanOrEqual(35);
  expect(operations.filter((op) => op.capabilities.length === 0)).toEqual([]);
});

it('answers 401 UNAUTHORIZED without an access token on every route, writing nothing', async () => {
  const before = await rowCounts();
  for (const op of operations) {
    const [method, path, status, body] = await answers(op, pathOf(op, nobody), { 'x-tenant-id': enterprise.tenantId });
    expect([method, path, status, body]).toEqual([method, path, 401, expect.objectContaining({ error: 'UNAUTHORIZED', message: expect.any(String) })]);
  }
  expect(await rowCounts()).toEqual(before);
});

it("answers 403 FORBIDDEN to a tenant whose tier lacks the route's capability, and to another tenant's token", async () => {
  const before = await rowCounts();
  for (const op of operations) {
    expect(op.capabilities).not.toContain('SCT11');
    expect(await answers(op, pathOf(op, nobody), documentsOnly.headers)).toEqual([op.method, op.path, 403, INSUFFICIENT_PERMISSIONS]);
    const [method, path, status, body] = await answers(op, pathOf(op, nobody), { ...other.headers, 'x-tenant-id': enterprise.tenantId });
    expect([method, path, status, body]).toEqual([method, path, 403, expect.objectContaining({ error: 'FORBIDDEN' })]);
  }
  expect(await rowCounts()).toEqual(before);
});

it("answers 404 NOT_FOUND to a customer's own session on another customer's routes, writing nothing", async () => {
  const own = operations.filter((op) => op.customerSession && op.params.some((p) => p.name === 'customerId'));
  expect(own.length).toBeGreaterThanOrEqual(15);
  const before = await rowCounts();
  const session = { authorization: `Bearer ${alice.accessToken}`, 'x-tenant-id': enterprise.tenantId };
  for (const op of own) {
    const [method, path, status, body] = await answers(op, pathOf(op, bob), session);
    expect([method, path, status, body]).toEqual([method, path, 404, expect.objectContaining({ error: 'NOT_FOUND' })]);
  }
  expect(await rowCounts()).toEqual(before);
});
