/**
 * Webhook events recorded from the changes they report (the transactional outbox): an individual's lifecycle on the
 * real workflow, a retried write, the tenant's and compliance's status changes, a document review. Assertions are on
 * the webhook_events and webhook_deliveries rows; delivering them is the delivery workflow's business.
 */
import { webhookDeliveryWorkflowId } from '../../common/webhook-contract';
import { createActivities } from '../../activities';
import { statusEvents } from '../../activities/customer-events';
import { recordEvents } from '../../api/webhooks/emit';
import { jpegFile, upload } from '../support/documents';
import { startHarness, type Harness } from '../support/harness';
import { readyForKyc, register, tenantWithSettings, waitForStatus } from '../support/journey';
import { staffHeaders, staffSession } from '../support/staff';
import { createTenant, http, type TenantSession } from '../support/tenant-client';
import { deliveriesOf, eventsOf, expectCatalogueShapes, insertSubscription, waitForEvent, type StoredEvent } from '../support/webhook-events';

let h: Harness;
let tenant: TenantSession;
let subscriptionId: string;

beforeAll(async () => {
  h = await startHarness('webhook_events');
  tenant = await createTenant(h);
  subscriptionId = await insertSubscription(h, tenant.tenantId);
});
afterAll(() => h?.close());

const PERSON = { firstName: 'Philippa', lastName: 'Quenneville' };
const statusTrail = (events: readonly StoredEvent[]) =>
  events.filter((e) => e.type === 'customer.status_changed').map((e) => [e.data.previousStatus, e.data.status]);
const historyOf = async (customerId: string) =>
  (await h.db('customer_status_history').where({ customer_id: customerId }).orderBy('id').select('status')).map((r) => r.status as string);

async function activeIndividual(): Promise<{ customerId: string; path: string; email: string }> {
  const customer = await readyForKyc(h, tenant, PERSON);
  expect((await tenant.call('POST', `${customer.path}/verification`)).status).toBe(202);
  await waitForStatus(tenant, customer.path, 'KYC_APPROVED');
  expect((await tenant.call('POST', `${customer.path}/activation`)).body.status).toBe('ACTIVE');
  return customer;
}

describe("an individual's lifecycle", () => {
  it('records every status move in order with previousStatus chained, the derived events, requirements, and no personal data', async () => {
    const customer = await activeIndividual();
    const events = await waitForEvent(h, tenant.tenantId, customer.customerId, 'customer.activated');
    expectCatalogueShapes(events);

    // Status events: one per history row, in the same order, each naming the status it replaced.
    const history = await historyOf(customer.customerId);
    expect(history).toEqual(['PENDING_EMAIL_VERIFICATION', 'PENDING_PROFILE', 'PENDING_CONSENTS', 'PENDING_KYC', 'KYC_IN_PROGRESS', 'KYC_APPROVED', 'ACTIVE']);
    expect(statusTrail(events)).toEqual(history.map((status, i) => [i === 0 ? null : history[i - 1], status]));
    const activeEvent = events.find((e) => e.type === 'customer.status_changed' && e.data.status === 'ACTIVE')!;
    expect(activeEvent.data).toEqual({ customerId: customer.customerId, customerType: 'INDIVIDUAL', status: 'ACTIVE', previousStatus: 'KYC_APPROVED', lifecycleStatus: 'ACTIVE' });

    expect(events.find((e) => e.type === 'kyc.completed')!.data).toEqual({ customerId: customer.customerId, customerType: 'INDIVIDUAL', outcome: 'APPROVED' });

    // Requirements: recorded with the status move that changed them (right after its status event), or alone when a
    // consent changed them without a move; each one a real change, from the first due to nothing.
    const CONSENTS = ['CONSENT:TERMS_AND_CONDITIONS', 'CONSENT:PRIVACY_POLICY', 'CONSENT:DATA_PROCESSING'];
    const compact = events.map((e) =>
      e.type === 'customer.requirements_changed' ? `due:${e.data.currentlyDue.join('+')}|pending:${e.data.pendingVerification.join('+')}` : (e.data.status ?? e.type),
    );
    expect(compact).toEqual([
      'PENDING_EMAIL_VERIFICATION', `due:${['EMAIL_VERIFICATION', ...CONSENTS].join('+')}|pending:`,
      'PENDING_PROFILE', `due:${['PROFILE', ...CONSENTS].join('+')}|pending:`,
      'PENDING_CONSENTS', `due:${CONSENTS.join('+')}|pending:`,
      `due:${CONSENTS.slice(1).join('+')}|pending:`,
      `due:${CONSENTS.slice(2).join('+')}|pending:`,
      'PENDING_KYC', 'due:KYC|pending:',
      'KYC_IN_PROGRESS', 'due:|pending:KYC_RESULT',
      'KYC_APPROVED', 'kyc.completed', 'due:ACTIVATION|pending:',
      'ACTIVE', 'customer.activated', 'due:|pending:',
    ]);
    expect(events.filter((e) => e.type === 'customer.requirements_changed').every((e) => e.data.errors.length === 0)).toBe(true);

    // No personal data anywhere in the payloads.
    const payloads = JSON.stringify(events.map((e) => e.data));
    for (const personal of [customer.email, PERSON.firstName, PERSON.lastName, '1990-04-15', 'Market Street']) expect(payloads).not.toContain(personal);

    // Each event is owed to the subscription, and its delivery workflow was woken.
    const owed = (await deliveriesOf(h, subscriptionId)).filter((d) => d.subjectId === customer.customerId).map((d) => d.eventSeq);
    expect(owed).toEqual(events.map((e) => e.seq));
    const woken = await h.temporal.workflow.getHandle(webhookDeliveryWorkflowId(tenant.tenantId, subscriptionId)).describe();
    expect(woken.type).toBe('webhookDelivery');
  });

  it('records a retried status write once, and unchanged requirements not at all', async () => {
    const { customerId } = await activeIndividual();
    const activities = createActivities(h.activityDeps);
    const before = await eventsOf(h, tenant.tenantId, customerId);
    const requirements = { currentlyDue: [], pendingVerification: [], errors: [] };
    const write = { tenantId: tenant.tenantId, customerId, status: 'SUSPENDED' as const, reason: 'Retried write', requirements };
    await activities.recordStatus(write);
    await activities.recordStatus(write);
    await activities.recordRequirements({ tenantId: tenant.tenantId, customerId, requirements });

    const added = (await eventsOf(h, tenant.tenantId, customerId)).slice(before.length);
    expect(added.map((e) => [e.type, e.data.status, e.data.previousStatus])).toEqual([['customer.status_changed', 'SUSPENDED', 'ACTIVE']]);
    expect((await historyOf(customerId)).filter((s) => s === 'SUSPENDED')).toHaveLength(1);

    // A real change of requirements is recorded, and only once however often it is retried.
    const changed = { currentlyDue: ['DOCUMENT:PROOF_OF_ADDRESS'], pendingVerification: [], errors: [] };
    await activities.recordRequirements({ tenantId: tenant.tenantId, customerId, requirements: changed });
    await activities.recordRequirements({ tenantId: tenant.tenantId, customerId, requirements: changed });
    const last = (await eventsOf(h, tenant.tenantId, customerId)).slice(before.length + 1);
    expect(last.map((e) => [e.type, e.data.currentlyDue])).toEqual([['customer.requirements_changed', ['DOCUMENT:PROOF_OF_ADDRESS']]]);
  });
});

describe('an onboarding that stalls', () => {
  it('records the move to EXPIRED, then customer.expired, and nothing left due', async () => {
    const stalling = await tenantWithSettings(h, { reminderAfterSeconds: 1, expireAfterSeconds: 2 });
    const { customerId } = await register(stalling);
    const events = await waitForEvent(h, stalling.tenantId, customerId, 'customer.expired', {}, 30_000);
    expectCatalogueShapes(events);
    expect(events.map((e) => (e.type === 'customer.requirements_changed' ? `due:${e.data.currentlyDue.length}` : (e.data.status ?? e.type)))).toEqual([
      'PENDING_EMAIL_VERIFICATION',
      'due:4', // the e-mail code and the three consents
      'EXPIRED',
      'customer.expired',
      'due:0',
    ]);
    expect(events[2].data).toMatchObject({ previousStatus: 'PENDING_EMAIL_VERIFICATION', lifecycleStatus: 'EXPIRED' });
  });
});

describe('changes made after onboarding', () => {
  it("emits the tenant's and compliance's status changes with the change, and nothing when only the block changes hands", async () => {
    const { customerId } = await activeIndividual();
    const before = (await eventsOf(h, tenant.tenantId, customerId)).length;
    expect((await tenant.call('PUT', `/v2/persons/${customerId}/BLOCKED`)).status).toBe(200);
    const officer = await staffHeaders(h, 'COMPLIANCE_OFFICER');
    const act = (action: string) => http(h.api.url, 'POST', `/api/v2.1/admin/customers/${customerId}/${action}`, { body: { reason: `${action} in the test` }, headers: officer });
    expect((await act('block')).status).toBe(200); // the tenant's block becomes compliance's: same status
    expect((await act('unblock')).status).toBe(200);

    const added = (await eventsOf(h, tenant.tenantId, customerId)).slice(before);
    expectCatalogueShapes(added);
    expect(added.map((e) => (e.type === 'customer.status_changed' ? `${e.data.previousStatus}>${e.data.status}` : e.type))).toEqual([
      'ACTIVE>BLOCKED',
      'BLOCKED>ACTIVE',
      'customer.activated',
    ]);
    // The reason an officer gave stays with staff.
    expect(JSON.stringify(added)).not.toContain('in the test');
  });

  it('emits document.reviewed with the outcome and without the reviewer or the reason', async () => {
    const customer = await readyForKyc(h, tenant);
    const { body: doc } = await upload(h, tenant, customer.customerId, { bytes: jpegFile(), fields: { type: 'PROOF_OF_ADDRESS' } });
    const staff = await staffSession(h, ['COMPLIANCE_OFFICER']);
    const reviewed = await http(h.api.url, 'PUT', `/api/v2.1/admin/documents/${doc.documentId}/status`, {
      body: { status: 'REUPLOAD_REQUESTED', reason: 'The scan is cut off' },
      headers: staff.headers,
    });
    expect(reviewed.status).toBe(200);

    const events = (await eventsOf(h, tenant.tenantId, customer.customerId)).filter((e) => e.type === 'document.reviewed');
    expectCatalogueShapes(events);
    expect(events.map((e) => e.data)).toEqual([
      { customerId: customer.customerId, customerType: 'INDIVIDUAL', documentId: doc.documentId, documentType: 'PROOF_OF_ADDRESS', outcome: 'REUPLOAD_REQUESTED' },
    ]);
    const owed = (await deliveriesOf(h, subscriptionId)).map((d) => d.eventSeq);
    expect(owed).toContain(events[0].seq);
  });

  it("records nothing for a subscription that does not want the type, and nothing for another tenant's", async () => {
    const other = await createTenant(h, 'Other Bank');
    const otherSubscription = await insertSubscription(h, other.tenantId);
    const onlyDocuments = await insertSubscription(h, tenant.tenantId, ['document.reviewed']);
    const { customerId } = await activeIndividual();
    const seqs = (await eventsOf(h, tenant.tenantId, customerId)).map((e) => e.seq);
    expect(await deliveriesOf(h, otherSubscription)).toEqual([]);
    expect((await deliveriesOf(h, onlyDocuments)).filter((d) => seqs.includes(d.eventSeq))).toEqual([]);
  });
});

describe('the outbox', () => {
  it("records a change's events in one statement, in the order given, each owed to the enabled subscriptions that want its type", async () => {
    const bank = await createTenant(h, 'Outbox Bank');
    const everything = await insertSubscription(h, bank.tenantId);
    const activations = await insertSubscription(h, bank.tenantId, ['customer.activated']);
    const disabled = await insertSubscription(h, bank.tenantId);
    await h.db('webhook_subscriptions').where({ tenant_id: bank.tenantId, id: disabled }).update({ enabled: false });
    const ref = { tenantId: bank.tenantId, customerId: `cust_outbox_${Date.now()}`, customerType: 'INDIVIDUAL' as const };
    const trail = ['PENDING_PROFILE', 'PENDING_CONSENTS', 'PENDING_KYC', 'KYC_IN_PROGRESS', 'KYC_APPROVED', 'ACTIVE'];
    const events = trail.slice(1).flatMap((status, index) => statusEvents(ref, status, trail[index]));

    const statements: string[] = [];
    const record = (query: { sql: string }) => void (/webhook_/.test(query.sql) && statements.push(query.sql));
    h.db.on('query', record);
    const owed = await h.db.transaction((trx) => recordEvents(trx, events)).finally(() => h.db.off('query', record));
    expect(statements).toHaveLength(1);
    expect([...owed].sort()).toEqual([everything, activations].sort());

    const stored = await eventsOf(h, bank.tenantId, ref.customerId);
    expect(stored.map((e) => [e.type, e.data])).toEqual(events.map((e) => [e.type, e.data]));
    expect((await deliveriesOf(h, everything)).map((d) => d.eventSeq)).toEqual(stored.map((e) => e.seq));
    expect((await deliveriesOf(h, activations)).map((d) => d.eventSeq)).toEqual(stored.filter((e) => e.type === 'customer.activated').map((e) => e.seq));
    expect(await deliveriesOf(h, disabled)).toEqual([]);
  });
});
