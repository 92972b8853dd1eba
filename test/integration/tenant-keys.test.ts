/**
 * Defence in depth for tenancy: a child row carries its customer's tenant, and the database refuses one that
 * does not, whichever code path writes it.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from '../../common/db';
import { migrationSource } from '../../migrations';
import { down, up } from '../../migrations/20261122002001_tenant_scoped_customer_keys';
import { startHarness, type Harness } from '../support/harness';
import { createTenant } from '../support/tenant-client';

let h: Harness;
let tenantA: string;
let tenantB: string;
let customerOfA: string;

beforeAll(async () => {
  h = await startHarness('tenant_keys', { withWorker: false });
  tenantA = (await createTenant(h, 'Bank A')).tenantId;
  tenantB = (await createTenant(h, 'Bank B')).tenantId;
  // A stored customer of tenant A, as the registration activity writes it.
  customerOfA = `cust_${randomBytes(12).toString('hex')}`;
  await h.db('customers').insert({
    id: customerOfA,
    tenant_id: tenantA,
    type: 'INDIVIDUAL',
    email: 'a@example.com',
    first_name: 'Ann',
    last_name: 'Able',
    status: 'PENDING_EMAIL_VERIFICATION',
  });
});
afterAll(() => h?.close());

/** A minimal valid row of each child table for (tenantId, customerId). */
const CHILD_ROWS: Record<string, (tenantId: string, customerId: string) => Record<string, unknown>> = {
  customer_status_history: (tenant_id, customer_id) => ({ tenant_id, customer_id, status: 'PENDING_EMAIL_VERIFICATION' }),
  verification_codes: (tenant_id, customer_id) => ({ tenant_id, customer_id, channel: 'EMAIL', code_hash: 'x', expires_at: new Date() }),
  outbound_emails: (tenant_id, customer_id) => ({ tenant_id, customer_id, idempotency_key: randomBytes(6).toString('hex'), template: 't' }),
  outbound_sms: (tenant_id, customer_id) => ({ tenant_id, customer_id, idempotency_key: randomBytes(6).toString('hex'), template: 't' }),
  customer_profiles: (tenant_id, customer_id) => ({
    tenant_id,
    customer_id,
    date_of_birth: '1990-01-01',
    nationality: 'DEU',
    country_of_residence: 'DEU',
    address: JSON.stringify({}),
  }),
  consents: (tenant_id, customer_id) => ({ tenant_id, customer_id, type: 'PRIVACY_POLICY', version: randomBytes(4).toString('hex') }),
  kyc_verifications: (tenant_id, customer_id) => ({ id: `kyc_${randomBytes(8).toString('hex')}`, tenant_id, customer_id, provider: 'sandbox', status: 'IN_PROGRESS' }),
  kyb_verifications: (tenant_id, customer_id) => ({ id: `kyb_${randomBytes(8).toString('hex')}`, tenant_id, customer_id, provider: 'sandbox', status: 'IN_PROGRESS' }),
  documents: (tenant_id, customer_id) => {
    const id = `doc_${randomBytes(12).toString('hex')}`;
    return { id, tenant_id, customer_id, type: 'PASSPORT', file_name: 'p.pdf', content_type: 'application/pdf', size_bytes: 1, sha256: '0'.repeat(64), storage_key: `${tenant_id}/${id}` };
  },
  customer_sessions: (tenant_id, customer_id) => ({ id: `cses_${randomBytes(8).toString('hex')}`, tenant_id, customer_id, status: 'ACTIVE', expires_at: new Date() }),
  customer_totp: (tenant_id, customer_id) => ({ tenant_id, customer_id, secret_encrypted: 'x' }),
  customer_password_resets: (tenant_id, customer_id) => ({ tenant_id, customer_id, code_hash: 'x', issued_by: 'x', expires_at: new Date() }),
};

/**
 * Undoes, newest first, the migrations applied after the tenant-key one: tables created later reference the key
 * its down drops, so the down can only be tried on the schema it was written against.
 */
async function downToTenantKeys(trx: Knex.Transaction): Promise<void> {
  const later = (await migrationSource.getMigrations([])).filter(([name]) => name > '20261122002001_tenant_scoped_customer_keys');
  for (const [, migration] of later.reverse()) await migration.down!(trx);
}

/** Runs `work` in a transaction that is always rolled back, so each probe leaves the database as it found it. */
async function probe(work: (trx: Knex.Transaction) => Promise<void>): Promise<{ code?: string; constraint?: string } | 'ok'> {
  const trx = await h.db.transaction();
  try {
    await work(trx);
    return 'ok';
  } catch (error) {
    return error as { code?: string; constraint?: string };
  } finally {
    await trx.rollback();
  }
}

describe('child rows and their customer’s tenant', () => {
  it.each(Object.keys(CHILD_ROWS))('%s refuses a row whose tenant is not its customer’s', async (table) => {
    const refused = await probe(async (trx) => {
      await trx(table).insert(CHILD_ROWS[table]!(tenantB, customerOfA));
    });
    expect(refused).toMatchObject({ code: '23503', constraint: `${table}_tenant_customer_foreign` });
  });

  it.each(Object.keys(CHILD_ROWS))('%s accepts a row that names its customer’s own tenant', async (table) => {
    expect(await probe(async (trx) => void (await trx(table).insert(CHILD_ROWS[table]!(tenantA, customerOfA))))).toBe('ok');
  });

  it('moving a customer to another tenant is refused while it has child rows', async () => {
    const refused = await probe(async (trx) => {
      await trx('customer_status_history').insert(CHILD_ROWS.customer_status_history!(tenantA, customerOfA));
      await trx('customers').where({ tenant_id: tenantA, id: customerOfA }).update({ tenant_id: tenantB });
    });
    expect(refused).toMatchObject({ code: '23503' });
  });

  it('the migration’s down restores the plain customer keys, and up applies again', async () => {
    const afterDown = await probe(async (trx) => {
      await downToTenantKeys(trx);
      await down(trx);
      await trx('consents').insert(CHILD_ROWS.consents!(tenantB, customerOfA));
    });
    expect(afterDown).toBe('ok');
    const afterReUp = await probe(async (trx) => {
      await downToTenantKeys(trx);
      await down(trx);
      await up(trx);
      await trx('consents').insert(CHILD_ROWS.consents!(tenantB, customerOfA));
    });
    expect(afterReUp).toMatchObject({ code: '23503', constraint: 'consents_tenant_customer_foreign' });
  });
});
