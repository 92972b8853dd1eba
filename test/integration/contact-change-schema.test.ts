/**
 * What the database itself holds to for profile changes and contact changes (constraints, one pending change per
 * customer and channel), their migrations' way back, and the routes in the OpenAPI document.
 */
import { migrationSource } from '../../migrations';
import { startHarness, type Harness } from '../support/harness';
import { createTenant, http, uniqueEmail, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('contact-change-schema', { withWorker: false });
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

const change = (customerId: string, id: string, overrides: Record<string, unknown> = {}) => ({
  id, tenant_id: tenant.tenantId, customer_id: customerId, channel: 'EMAIL', new_value: 'x@example.com', actor: 'test', expires_at: new Date(), ...overrides,
});

it('allows one pending change per customer and channel, and refuses unknown channels, statuses and attempt counts', async () => {
  // No worker runs here: the customer row is written directly.
  const customerId = 'cust_00000000000000000000000a';
  await h.db('customers').insert({ id: customerId, tenant_id: tenant.tenantId, type: 'INDIVIDUAL', email: uniqueEmail(), first_name: 'A', last_name: 'B', status: 'ACTIVE' });
  await h.db('contact_changes').insert(change(customerId, 'chg_1'));
  await expect(h.db('contact_changes').insert(change(customerId, 'chg_2'))).rejects.toThrow(/contact_changes_one_pending/);
  await h.db('contact_changes').insert(change(customerId, 'chg_3', { channel: 'PHONE' }));
  await h.db('contact_changes').insert(change(customerId, 'chg_4', { status: 'CANCELLED' }));
  await expect(h.db('contact_changes').insert(change(customerId, 'chg_5', { channel: 'FAX' }))).rejects.toThrow(/contact_changes_channel_check/);
  await expect(h.db('contact_changes').insert(change(customerId, 'chg_6', { status: 'DONE' }))).rejects.toThrow(/contact_changes_status_check/);
  await expect(h.db('contact_changes').insert(change(customerId, 'chg_7', { status: 'FAILED', attempts: 6 }))).rejects.toThrow(/contact_changes_attempts_check/);
  await expect(h.db('contact_changes').insert(change('cust_000000000000000000000000', 'chg_8'))).rejects.toThrow(/foreign key/);
  const history = { tenant_id: tenant.tenantId, customer_id: customerId, source: 'PROFILE_UPDATE', actor: 'test' };
  await expect(h.db('profile_changes').insert({ ...history, fields: [] })).rejects.toThrow(/profile_changes_fields_not_empty/);
  await expect(h.db('profile_changes').insert({ ...history, fields: ['x'], source: 'OTHER' })).rejects.toThrow(/profile_changes_source_check/);
});

it('rolls both migrations back and forward', async () => {
  for (const name of ['20261128011100_create_contact_changes', '20261128011000_create_profile_changes']) await h.db.migrate.down({ migrationSource, name });
  expect(await h.db.schema.hasTable('contact_changes')).toBe(false);
  expect(await h.db.schema.hasTable('profile_changes')).toBe(false);
  await h.db.migrate.latest({ migrationSource });
  expect(await h.db.schema.hasTable('contact_changes')).toBe(true);
});

it('documents the routes with their schemas in the OpenAPI document', async () => {
  const { body: document } = await http(h.api.url, 'GET', '/openapi.json');
  const put = document.paths['/v2/profile/{profileId}'].put;
  expect(put.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ProfileUpdateRequest' });
  expect(Object.keys(put.responses)).toEqual(expect.arrayContaining(['200', '202', '400', '404', '409']));
  expect(document.paths['/v2/profile/{customerId}/changes'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ProfileChangesPage' });
  const base = '/v2/customer/{customerId}/contact-changes';
  expect(document.paths[base].post.responses['202'].content['application/json'].schema.properties.data).toEqual({ $ref: '#/components/schemas/ContactChange' });
  expect(Object.keys(document.paths[`${base}/{changeId}`])).toEqual(expect.arrayContaining(['get', 'delete']));
  expect(document.paths[`${base}/{changeId}/verification`].post.responses['409']).toBeDefined();
  expect(document.components.schemas.ProfileUpdateRequest.properties.basic_info.properties.primary_nationality).toBeDefined();
});
