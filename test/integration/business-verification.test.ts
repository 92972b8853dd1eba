/**
 * The businessVerification child workflow end to end on the real dev server, against the KYB sandbox vendor and
 * the API's callback and staff routes. Each test starts the child as the organization's onboarding will, for an
 * organization row written by the fixture.
 */
import { kybSnapshotQuery, type BusinessVerificationInput } from '../../common/kyb-contract';
import { CustomerIdKey, CustomerTypeKey, KybStatusKey, TenantIdKey } from '../../common/search-attributes';
import { staffCredential } from '../support/staff';
import { startHarness, type Harness } from '../support/harness';
import { company, insertOrganization, kybRow, staffKybDecision, startKyb } from '../support/kyb';
import { createTenant, type TenantSession } from '../support/tenant-client';
import { BODY_REVIEWER, staffActorLabel } from '../support/staff-actor';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('kyb_flow');
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

async function kybFor(legalName: string, overrides: Partial<BusinessVerificationInput> = {}) {
  const organizationId = await insertOrganization(h, tenant.tenantId);
  const handle = await startKyb(h, { tenantId: tenant.tenantId, organizationId, company: company(legalName), resultTimeout: '1 hour', ...overrides });
  return { organizationId, handle };
}

async function waitForKybStatus(handle: Awaited<ReturnType<typeof kybFor>>['handle'], status: string, timeoutMs = 20_000) {
  for (const deadline = Date.now() + timeoutMs; ; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const snapshot = await handle.query(kybSnapshotQuery);
    if (snapshot.status === status) return snapshot;
    if (Date.now() > deadline) throw new Error(`KYB still ${snapshot.status}, expected ${status}`);
  }
}

const decision = { decision: 'APPROVE', reason: 'Registry extract and ownership checked by hand' };

it('approves a company the registry and the vendor agree on, and records the registry findings without officers\' names', async () => {
  const { organizationId, handle } = await kybFor('Acme Trading Limited');
  const outcome = await handle.result();
  expect(outcome).toMatchObject({ status: 'APPROVED', errors: [], findings: { found: true, registeredName: 'ACME TRADING LIMITED', registrationStatus: 'ACTIVE' } });
  expect(outcome.findings!.officers).toHaveLength(2);

  const row = await kybRow(h, organizationId);
  expect(row).toMatchObject({ id: outcome.verificationId, tenant_id: tenant.tenantId, provider: 'sandbox', status: 'APPROVED', reviewer: null });
  expect(row.check_id).toMatch(/^kyb_chk_/);
  expect(row.decided_at).toBeInstanceOf(Date);
  expect(row.registry_findings).toEqual({ found: true, registeredName: 'ACME TRADING LIMITED', registrationStatus: 'ACTIVE', officerCount: 2 });
  for (const officer of outcome.findings!.officers) expect(JSON.stringify(row)).not.toContain(officer.name);

  const attributes = (await handle.describe()).typedSearchAttributes;
  expect(attributes.get(TenantIdKey)).toBe(tenant.tenantId);
  expect(attributes.get(CustomerIdKey)).toBe(organizationId);
  expect(attributes.get(CustomerTypeKey)).toBe('ORGANIZATION');
  expect(attributes.get(KybStatusKey)).toBe('APPROVED');
});

it('rejects a company the vendor rejects, with the vendor\'s reason', async () => {
  const { organizationId, handle } = await kybFor('Reject Industries Ltd');
  expect(await handle.result()).toMatchObject({ status: 'REJECTED', reason: 'BUSINESS_NOT_VERIFIED', errors: [] });
  expect(await kybRow(h, organizationId)).toMatchObject({ status: 'REJECTED', reason: 'BUSINESS_NOT_VERIFIED' });
  expect((await handle.describe()).typedSearchAttributes.get(KybStatusKey)).toBe('REJECTED');
});

it('sends a REVIEW to manual review, where a staff approval ends it with who, when and why recorded', async () => {
  const { organizationId, handle } = await kybFor('Review Partners Ltd');
  const snapshot = await waitForKybStatus(handle, 'MANUAL_REVIEW');
  expect(snapshot).toMatchObject({ organizationId, status: 'MANUAL_REVIEW', reason: 'ADVERSE_MEDIA_MATCH' });
  expect(await kybRow(h, organizationId)).toMatchObject({ status: 'MANUAL_REVIEW', reason: 'ADVERSE_MEDIA_MATCH', decided_at: null });
  expect((await handle.describe()).typedSearchAttributes.get(KybStatusKey)).toBe('MANUAL_REVIEW');

  // The body cannot name who decided: a reviewer field is a 400 naming it, and the check stays in review.
  const named = await staffKybDecision(h, organizationId, { ...decision, ...BODY_REVIEWER });
  expect(named.status).toBe(400);
  expect(named.body.details).toEqual([{ field: 'reviewer', message: 'Unknown field' }]);
  expect(await kybRow(h, organizationId)).toMatchObject({ status: 'MANUAL_REVIEW', reviewer: null, decided_by: null });

  const before = Date.now();
  const approved = await staffKybDecision(h, organizationId, decision);
  expect(approved.status).toBe(200);
  expect(approved.body).toEqual({ organizationId, verificationId: snapshot.verificationId, kybStatus: 'APPROVED' });

  const decidedBy = await staffCredential(h, 'COMPLIANCE_OFFICER');
  const outcome = await handle.result();
  expect(outcome).toMatchObject({
    status: 'APPROVED',
    reason: decision.reason,
    decision: { decision: 'APPROVE', reviewer: (await staffActorLabel(h)), decidedBy, reason: decision.reason },
  });
  const row = await kybRow(h, organizationId);
  expect(row).toMatchObject({ status: 'APPROVED', reason: decision.reason, reviewer: (await staffActorLabel(h)), decided_by: decidedBy });
  expect(row.decided_at.getTime()).toBeGreaterThanOrEqual(before - 1000);
  expect(row.decided_at.toISOString()).toBe(outcome.decision!.decidedAt);

  // Decided: a second decision is refused and changes nothing.
  const again = await staffKybDecision(h, organizationId, { ...decision, decision: 'REJECT' });
  expect(again.status).toBe(409);
  expect(again.body).toMatchObject({ error: 'INVALID_STATE', details: [{ field: 'kybStatus', message: 'APPROVED' }] });
  expect(await kybRow(h, organizationId)).toMatchObject({ status: 'APPROVED' });
});

it('polls a vendor that never calls back, then sends the check to manual review with the reason; staff reject it', async () => {
  const { organizationId, handle } = await kybFor('Silent Holdings Ltd', { firstPollAfter: '500ms', resultTimeout: '3s' });
  const snapshot = await waitForKybStatus(handle, 'MANUAL_REVIEW');
  expect(snapshot.reason).toBe('No result from the KYB provider in time');
  const { events } = await handle.fetchHistory();
  const polls = (events ?? []).filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'fetchKybResult');
  expect(polls.length).toBeGreaterThanOrEqual(3); // after 0.5 s, 1.5 s, and at the 3 s deadline

  const rejected = await staffKybDecision(h, organizationId, { ...decision, decision: 'REJECT', reason: 'Company could not be verified' });
  expect(rejected.status).toBe(200);
  expect(rejected.body.kybStatus).toBe('REJECTED');
  expect(await handle.result()).toMatchObject({ status: 'REJECTED', reason: 'Company could not be verified' });
  expect(await kybRow(h, organizationId)).toMatchObject({ status: 'REJECTED', reviewer: (await staffActorLabel(h)), decided_by: await staffCredential(h, 'COMPLIANCE_OFFICER') });
});

describe('registry comparison', () => {
  it('turns a registered name that differs into a requirement error, without submitting a check', async () => {
    const { organizationId, handle } = await kybFor('Mismatch Foods Ltd');
    const outcome = await handle.result();
    expect(outcome).toMatchObject({
      status: 'REJECTED',
      reason: 'The company registry does not match what was sent',
      errors: [{ requirement: 'KYB', reason: 'The business name does not match the name in the company registry' }],
      findings: { found: true, registrationStatus: 'ACTIVE' },
    });
    expect(await kybRow(h, organizationId)).toMatchObject({ status: 'REJECTED', check_id: null });
  });

  it('turns a dissolved company, and one the registry does not know, into requirement errors', async () => {
    const dissolved = await kybFor('Dissolved Ventures Ltd');
    expect((await dissolved.handle.result()).errors).toEqual([
      { requirement: 'KYB', reason: 'The company registry lists the company as DISSOLVED, not ACTIVE' },
    ]);
    const unknown = await kybFor('Unregistered Traders');
    expect((await unknown.handle.result()).errors).toEqual([
      { requirement: 'KYB', reason: 'The company registry has no company under this registration number' },
    ]);
  });
});

it('waits for a slow vendor\'s late callback and approves on it, without polling before the first poll is due', async () => {
  const { handle } = await kybFor('Slow Movers Ltd', { firstPollAfter: '1 hour' });
  expect(await handle.result()).toMatchObject({ status: 'APPROVED', errors: [] });
  const events = (await handle.fetchHistory()).events!;
  const scheduled = events.flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
  expect(scheduled).toContain('submitKybCheck');
  expect(scheduled).not.toContain('fetchKybResult');
  // The decision came by the vendor's callback, held back by the harness sandbox's slow delay (1.5 s).
  const at = (event: (typeof events)[number]) => Number(event.eventTime!.seconds) * 1000 + event.eventTime!.nanos! / 1e6;
  const submitted = events.find((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'submitKybCheck')!;
  const callback = events.find((event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'kybResult')!;
  expect(at(callback) - at(submitted)).toBeGreaterThanOrEqual(1500);
});

it('rides out a flaky vendor (503s on the lookup and the submit) through activity retries', async () => {
  const { handle } = await kybFor('Flaky Widgets Ltd');
  expect(await handle.result()).toMatchObject({ status: 'APPROVED', errors: [] });
  const { events } = await handle.fetchHistory();
  const failedAttempts = (events ?? []).map((event) => event.activityTaskStartedEventAttributes?.attempt ?? 0);
  expect(Math.max(...failedAttempts)).toBe(3); // two refusals, then the third attempt went through
});

describe('POST /api/v2.1/admin/organizations/{organizationId}/kyb-decision', () => {
  it('refuses a decision while the check is still with the vendor (409), and for an organization without KYB', async () => {
    const { organizationId, handle } = await kybFor('Silent Waiting Ltd');
    await kybRow(h, organizationId, (row) => row.check_id !== null);
    const early = await staffKybDecision(h, organizationId, decision);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: 'INVALID_STATE', details: [{ field: 'kybStatus', message: 'IN_PROGRESS' }] });
    expect((await handle.query(kybSnapshotQuery)).status).toBe('IN_PROGRESS');
    await handle.terminate('test done');

    const without = await insertOrganization(h, tenant.tenantId);
    const none = await staffKybDecision(h, without, decision);
    expect(none.status).toBe(409);
    expect(none.body).toMatchObject({ error: 'INVALID_STATE', details: [{ field: 'kybStatus', message: 'NOT_STARTED' }] });
  });

  it('answers 404 for an unknown organization, 400 for a bad body or id, 401 without the admin token', async () => {
    expect((await staffKybDecision(h, 'org_000000000000000000000000', decision)).status).toBe(404);
    const badBody = await staffKybDecision(h, 'org_000000000000000000000000', { decision: 'MAYBE', reason: 'x' });
    expect(badBody.status).toBe(400);
    expect(badBody.body.error).toBe('VALIDATION_ERROR');
    expect((await staffKybDecision(h, 'cust_000000000000000000000000', decision)).status).toBe(400);
    expect((await staffKybDecision(h, 'org_000000000000000000000000', decision, 'not-the-token')).status).toBe(401);
  });
});

