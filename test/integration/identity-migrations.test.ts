/**
 * The identity-verification migrations: the database, not only the code, keeps a child's verification whole
 * (subject and workflow id together) and supplied details tied to their tenant's customer; both `down`s work.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from '../../common/db';
import * as subjects from '../../migrations/20261127006000_kyc_verification_subjects';
import * as details from '../../migrations/20261127006100_create_identity_subject_details';
import { startHarness, type Harness } from '../support/harness';
import { createTenant } from '../support/tenant-client';

let h: Harness;
let tenantA: string;
let tenantB: string;
const customerOfA = `org_${randomBytes(12).toString('hex')}`;

beforeAll(async () => {
  h = await startHarness('identity_migrations', { withWorker: false });
  tenantA = (await createTenant(h, 'Bank A')).tenantId;
  tenantB = (await createTenant(h, 'Bank B')).tenantId;
  await h.db('customers').insert({ id: customerOfA, tenant_id: tenantA, type: 'ORGANIZATION', email: 'rep@example.com', first_name: 'R', last_name: 'R', status: 'ONBOARDING' });
});
afterAll(() => h?.close());

/** Runs `work` in a transaction that is always rolled back; answers 'ok' or the database error. */
async function probe(work: (trx: Knex.Transaction) => Promise<void>): Promise<unknown> {
  const trx = await h.db.transaction();
  try {
    await work(trx);
    return 'ok';
  } catch (error) {
    return error;
  } finally {
    await trx.rollback();
  }
}

const verification = (extra: Record<string, unknown>) => ({
  id: `ver_${randomBytes(16).toString('hex')}`,
  tenant_id: tenantA,
  customer_id: customerOfA,
  provider: 'sandbox',
  status: 'IN_PROGRESS',
  ...extra,
});

it('takes a verification with subject and workflow id, or with neither, but not half of them', async () => {
  const child = { subject_type: 'PARTY', subject_id: 'pty_1', workflow_id: 'onboarding/t/o/person/pty_1' };
  expect(await probe((trx) => trx('kyc_verifications').insert(verification(child)))).toBe('ok');
  expect(await probe((trx) => trx('kyc_verifications').insert(verification({})))).toBe('ok');
  expect(await probe((trx) => trx('kyc_verifications').insert(verification({ subject_type: 'PARTY', subject_id: 'pty_1' })))).toMatchObject({
    code: '23514',
    constraint: 'kyc_verifications_subject_complete',
  });
});

it('refuses supplied details whose tenant is not their customer’s', async () => {
  const row = (tenant: string) => ({ tenant_id: tenant, customer_id: customerOfA, subject_id: 'pty_1', subject_type: 'PARTY' });
  expect(await probe((trx) => trx('identity_subject_details').insert(row(tenantA)))).toBe('ok');
  expect(await probe((trx) => trx('identity_subject_details').insert(row(tenantB)))).toMatchObject({ code: '23503' });
});

it('both migrations go down and up again', async () => {
  const result = await probe(async (trx) => {
    await details.down(trx);
    await subjects.down(trx);
    expect(await trx.schema.hasColumn('kyc_verifications', 'workflow_id')).toBe(false);
    expect(await trx.schema.hasTable('identity_subject_details')).toBe(false);
    await subjects.up(trx);
    await details.up(trx);
    expect(await trx.schema.hasColumn('kyc_verifications', 'workflow_id')).toBe(true);
  });
  expect(result).toBe('ok');
});
