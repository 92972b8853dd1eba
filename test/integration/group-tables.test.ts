/**
 * The group tables hold their rules themselves: a membership cannot join one tenant's customer to another tenant's
 * group, names are unique per tenant whatever the case and stored trimmed; a delete without force waits for an add
 * in flight and then sees its member; both migrations' `down`s work.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from '../../common/db';
import * as groupsMigration from '../../migrations/20261128013000_create_customer_groups';
import * as membersMigration from '../../migrations/20261128013100_create_customer_group_members';
import { startHarness, type Harness } from '../support/harness';
import { createOrganization } from '../support/organizations';
import { createTenant, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenantA: TenantSession;
let tenantB: TenantSession;
let customerOfB: string;

beforeAll(async () => {
  h = await startHarness('group_tables', { withWorker: false });
  [tenantA, tenantB] = await Promise.all([createTenant(h, 'Bank A'), createTenant(h, 'Bank B')]);
  customerOfB = (await createOrganization(h, tenantB.tenantId)).organizationId;
});
afterAll(() => h?.close());

const groupRow = (tenantId: string, name: string) => ({ id: `grp_${randomBytes(12).toString('hex')}`, tenant_id: tenantId, name });

/** Runs `work` in a transaction that is always rolled back; answers 'ok' or the database error's code. */
async function probe(work: (trx: Knex.Transaction) => Promise<unknown>): Promise<string> {
  const trx = await h.db.transaction();
  try {
    await work(trx);
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await trx.rollback();
  }
}

it("refuses a membership joining another tenant's customer to a group, and names clashing in any case or untrimmed", async () => {
  const group = groupRow(tenantA.tenantId, 'Joined');
  await h.db('customer_groups').insert(group);
  expect(await probe((trx) => trx('customer_group_members').insert({ tenant_id: tenantA.tenantId, group_id: group.id, customer_id: customerOfB, added_by: 'test' }))).toBe('23503');
  expect(await probe((trx) => trx('customer_group_members').insert({ tenant_id: tenantB.tenantId, group_id: group.id, customer_id: customerOfB, added_by: 'test' }))).toBe('23503');
  expect(await probe((trx) => trx('customer_groups').insert(groupRow(tenantA.tenantId, 'JOINED')))).toBe('23505');
  expect(await probe((trx) => trx('customer_groups').insert(groupRow(tenantB.tenantId, 'JOINED')))).toBe('ok');
  expect(await probe((trx) => trx('customer_groups').insert(groupRow(tenantA.tenantId, ' Padded')))).toBe('23514');
  expect(await probe((trx) => trx('customer_groups').insert(groupRow(tenantA.tenantId, '')))).toBe('23514');
});

it('makes a delete without force wait for an add in flight, then refuse with 409: the member is not lost', async () => {
  const created = await tenantA.call('POST', '/v2/customer/groups', { name: 'Racing' });
  const groupId = created.body.data.group_id as string;
  const member = (await createOrganization(h, tenantA.tenantId)).organizationId;
  // An add in flight, as the service runs it: the group share-locked, the member inserted, not yet committed.
  const add = await h.db.transaction();
  await add('customer_groups').where({ id: groupId }).forShare().first();
  await add('customer_group_members').insert({ tenant_id: tenantA.tenantId, group_id: groupId, customer_id: member, added_by: 'test' });
  const deleting = tenantA.call('DELETE', `/v2/customer/groups/${groupId}`);
  await waitForLockWait();
  await add.commit();
  const res = await deleting;
  expect(res).toMatchObject({ status: 409, body: { error: 'CONFLICT', details: [{ field: 'member_count', message: '1' }] } });
  expect(await h.db('customer_group_members').where({ group_id: groupId }).pluck('customer_id')).toEqual([member]);
});

/** Until some session of this database waits on a lock (the DELETE behind the add's lock), within 10 s. */
async function waitForLockWait(): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const waiting = await h.db('pg_stat_activity').whereRaw('datname = current_database()').andWhere({ wait_event_type: 'Lock' }).count<{ n: string }[]>({ n: '*' });
    if (Number(waiting[0]!.n) > 0) return;
    if (Date.now() > deadline) throw new Error('the DELETE never waited on the group lock');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('rolls both migrations back and forward again', async () => {
  await membersMigration.down(h.db);
  await groupsMigration.down(h.db);
  expect(await h.db.schema.hasTable('customer_groups')).toBe(false);
  await groupsMigration.up(h.db);
  await membersMigration.up(h.db);
  expect(await h.db.schema.hasTable('customer_group_members')).toBe(true);
  expect((await tenantA.call('POST', '/v2/customer/groups', { name: 'After the round trip' })).status).toBe(201);
});
