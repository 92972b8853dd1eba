/**
 * Webhook events of life after onboarding: customer.profile_updated (PUT /v2/profile of an ACTIVE customer) and
 * customer.contact_changed (a contact change applied). Each reaches a real subscription's receiver, signed, with
 * field names or the channel and never a value; a change that fails or changes nothing records no event.
 */
import { WEBHOOK_EVENT_CATALOGUE } from '../../common/webhook-events';
import { changesPath, emailCode, requestChange, smsTo } from '../support/contact-changes';
import { startHarness, type Harness } from '../support/harness';
import { activeCustomer, codeIn } from '../support/journey';
import { createTenant, uniqueEmail, type TenantSession } from '../support/tenant-client';
import { eventsOf } from '../support/webhook-events';
import { eventually, startReceiver, type Receiver } from '../support/webhooks';

let h: Harness;
let tenant: TenantSession;
let receiver: Receiver;
let subscriptionId: string;

beforeAll(async () => {
  h = await startHarness('profile_contact_events', { env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RETRY_INITIAL_MS: '200', WEBHOOK_RETRY_MAX_INTERVAL_MS: '1000' } });
  tenant = await createTenant(h, 'Profile Events Bank');
  receiver = await startReceiver();
  const subscribed = await tenant.call('POST', '/api/v2.1/webhooks/subscriptions', {
    url: receiver.url,
    eventTypes: ['customer.profile_updated', 'customer.contact_changed'],
    description: 'profile and contact events',
  });
  expect(subscribed.status).toBe(201);
  receiver.secret = subscribed.body.secret;
  subscriptionId = subscribed.body.subscriptionId;
});

afterAll(async () => {
  await receiver?.stop();
  await h?.close();
});

const call = (...args: Parameters<TenantSession['call']>) => tenant.call(...args);
const put = (customerId: string, body: unknown) => tenant.call('PUT', `/v2/profile/${customerId}`, body);
const received = (customerId: string, type: string) => receiver.received.filter((r) => r.answered === 200 && r.envelope.type === type && r.envelope.data.customerId === customerId);
const recorded = async (customerId: string, type: string) => (await eventsOf(h, tenant.tenantId, customerId)).filter((event) => event.type === type);

it('an ACTIVE customer\'s profile change reaches the subscription signed, naming the fields and no values', async () => {
  const customer = await activeCustomer(h, tenant);
  const res = await put(customer.customerId, { basic_info: { first_name: 'Zofia' }, address: { street_line_1: '7 Quay Street', city: 'Galwayville', subdivision_code: 'US-MA', postal_code: '02108', country: 'USA' } });
  expect(res.status).toBe(200);
  const [request] = await eventually(() => received(customer.customerId, 'customer.profile_updated').length === 1 && received(customer.customerId, 'customer.profile_updated'));
  expect(request!.envelope).toEqual({
    id: expect.stringMatching(/^evt_/),
    type: 'customer.profile_updated',
    version: 1,
    timestamp: expect.any(String),
    data: { customerId: customer.customerId, customerType: 'INDIVIDUAL', changedFields: res.body.changed_fields },
  });
  expect(res.body.changed_fields).toEqual(expect.arrayContaining(['basic_info.first_name', 'address.city']));
  expect(WEBHOOK_EVENT_CATALOGUE['customer.profile_updated'].data.safeParse(request!.envelope.data).success).toBe(true);
  expect(request!.headers['webhook-id']).toBe(request!.envelope.id);
  expect(receiver.unverified).toBe(0);
  expect(request!.body).not.toMatch(/Zofia|Galwayville|Quay|02108|Doe/);
  expect(request!.body).not.toContain(customer.email);

  // The same values again change nothing, and nothing is sent.
  expect((await put(customer.customerId, { basic_info: { first_name: 'Zofia' } })).body.changed_fields).toEqual([]);
  expect(await recorded(customer.customerId, 'customer.profile_updated')).toHaveLength(1);
});

it('a profile change that fails records no event, and a failing event leaves the profile as it was (one transaction)', async () => {
  const customer = await activeCustomer(h, tenant);
  const changes = () => h.db('profile_changes').where({ customer_id: customer.customerId });
  const before = await changes();
  // Refused at the edge, and refused by status: nothing recorded.
  expect((await put(customer.customerId, { basic_info: { first_name: '' } })).status).toBe(400);
  // The outbox refuses this subscription's deliveries: the event cannot be written, so neither can the change.
  await h.db.raw(`create or replace function refuse_profile_event() returns trigger language plpgsql as $$
    begin if new.subscription_id = '${subscriptionId}' then raise exception 'refused by the test'; end if; return new; end $$`);
  await h.db.raw('create trigger refuse_profile_event before insert on webhook_deliveries for each row execute function refuse_profile_event()');
  try {
    const failed = await put(customer.customerId, { basic_info: { first_name: 'Renata' } });
    expect(failed.status).toBe(500);
  } finally {
    await h.db.raw('drop trigger refuse_profile_event on webhook_deliveries');
    await h.db.raw('drop function refuse_profile_event()');
  }
  expect(await h.db('customers').where({ id: customer.customerId }).first('first_name')).toEqual({ first_name: 'John' });
  expect(await changes()).toEqual(before);

  expect((await tenant.call('PUT', `/v2/persons/${customer.customerId}/SUSPENDED`)).status).toBe(200);
  expect((await put(customer.customerId, { basic_info: { first_name: 'Renata' } })).status).toBe(409);
  expect(await recorded(customer.customerId, 'customer.profile_updated')).toEqual([]);
});

it('a contact change applied reaches the subscription with its channel only; a cancelled one sends nothing', async () => {
  const customer = await activeCustomer(h, tenant);
  const email = uniqueEmail('moved');
  const byEmail = await requestChange(call, customer.customerId, { email });
  const verify = (changeId: string, code: string) => tenant.call('POST', `${changesPath(customer.customerId)}/${changeId}/verification`, { code });
  expect((await verify(byEmail.change_id, await emailCode(h, email))).body.data.status).toBe('COMPLETED');
  const byPhone = await requestChange(call, customer.customerId, { phone: '+14155550142' });
  const [text] = await smsTo(call, '+14155550142');
  expect((await verify(byPhone.change_id, codeIn(text!))).body.data.status).toBe('COMPLETED');

  const requests = await eventually(() => received(customer.customerId, 'customer.contact_changed').length === 2 && received(customer.customerId, 'customer.contact_changed'));
  expect(requests.map((r) => r.envelope.data)).toEqual([
    { customerId: customer.customerId, customerType: 'INDIVIDUAL', channel: 'EMAIL' },
    { customerId: customer.customerId, customerType: 'INDIVIDUAL', channel: 'PHONE' },
  ]);
  expect(receiver.unverified).toBe(0);
  for (const request of requests) {
    expect(request.envelope.version).toBe(1);
    expect(request.body).not.toContain(email);
    expect(request.body).not.toContain(customer.email);
    expect(request.body).not.toMatch(/4155550142/);
  }

  const cancelled = await requestChange(call, customer.customerId, { email: uniqueEmail('never') });
  expect((await tenant.call('DELETE', `${changesPath(customer.customerId)}/${cancelled.change_id}`)).status).toBe(200);
  expect(await recorded(customer.customerId, 'customer.contact_changed')).toHaveLength(2);
});
