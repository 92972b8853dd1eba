import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chain } from '../../api/audit/chain';
import { fromRecord } from '../../api/audit/trail';
import { verifyAuditChain } from '../../api/audit/verify';
import { startApiServer, type RunningApi } from '../../api/server';
import { createDb, type Knex } from '../../common/db';
import { createLogger } from '../../common/logger';
import { migrationSource } from '../../migrations';
import { startHarness, type Harness } from '../support/harness';
import { http } from '../support/tenant-client';
import { staffHeaders } from '../support/staff';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('audit_chain', { withWorker: false, kybSandbox: false });
});
afterAll(() => h?.close());

const admin = () => staffHeaders(h, 'PLATFORM_ADMIN');
const createTenantVia = async (url: string, name: string) => http(url, 'POST', '/api/v2.1/admin/tenants', { body: { name, tier: 'STARTER' }, headers: await admin() });
const count = async () => Number((await h.db('audit_events').count({ n: '*' }).first())!.n);
const rowAt = (id: number) => h.db('audit_events').where({ id }).first();

/** As the database's superuser would: the append-only triggers off for one change, then on again. */
async function tamper(change: (db: Knex) => Promise<unknown>) {
  await h.db.raw('alter table audit_events disable trigger audit_events_append_only');
  try {
    await change(h.db);
  } finally {
    await h.db.raw('alter table audit_events enable trigger audit_events_append_only');
  }
}

/** `npm run audit:verify` against this file's database. */
async function runVerifier(): Promise<{ code: number; out: string }> {
  const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
  const script = join(__dirname, '..', '..', 'scripts', 'audit-verify.ts');
  const env = { PATH: process.env.PATH ?? '', DATABASE_URL: h.config.DATABASE_URL!, NODE_ENV: 'test', LOG_LEVEL: 'silent' };
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, [script], { env });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('the chain across API processes', () => {
  it('stays one chain, without gaps, when two API processes append at once', async () => {
    // A second API process on the same database: its own connection pool, its own batching appender.
    const otherDb = createDb(h.config.DATABASE_URL!, 5);
    let other: RunningApi | undefined;
    try {
      other = await startApiServer(h.config, h.secrets, { db: otherDb, temporal: h.temporal, logger: createLogger('silent', 'test') }, 0);
      await admin(); // the staff session exists before counting: signing in appends rows of its own
      const before = await count();
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => createTenantVia(i % 2 === 0 ? h.api.url : other!.url, `Chain Bank ${i}`)),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(40).fill(201));
      expect(await count()).toBe(before + 40);
      const ids = (await h.db('audit_events').select('id').orderBy('id')).map((r) => Number(r.id));
      expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
      expect(await verifyAuditChain(h.db)).toMatchObject({ intact: true, rows: ids.length });
    } finally {
      await other?.close();
      await otherDb.destroy();
    }
  });
});

describe('an append that fails', () => {
  it('still answers the call, keeps the row and writes it, in the chain, once the database takes it again', async () => {
    const before = await count();
    await h.db.raw('alter table audit_events rename to audit_events_away');
    let answer;
    try {
      answer = await http(h.api.url, 'POST', '/api/v2.1/admin/tenants', {
        body: { name: 'Outage Bank', tier: 'STARTER' },
        headers: { ...(await admin()), 'x-request-id': 'req-audit-during-outage' },
      });
    } finally {
      await h.db.raw('alter table audit_events_away rename to audit_events');
    }
    expect(answer.status).toBe(201);
    // The API's appender retries with back-off; wait for it rather than for a fixed time.
    for (let i = 0; i < 300 && (await count()) === before; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await h.db('audit_events').where({ request_id: 'req-audit-during-outage' })).toEqual([
      expect.objectContaining({ id: String(before + 1), target_type: 'tenant', target_id: answer.body.tenantId, status: 201 }),
    ]);
    expect(await verifyAuditChain(h.db)).toMatchObject({ intact: true, rows: before + 1 });
  });
});

describe('append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
    expect(await count()).toBeGreaterThan(0);
    await expect(h.db('audit_events').where({ id: 1 }).update({ status: 500 })).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(h.db('audit_events').where({ id: 1 }).delete()).rejects.toThrow(/append-only: DELETE refused/);
    await expect(h.db.raw('truncate audit_events')).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect(await rowAt(1)).toMatchObject({ status: 201 });
  });
});

describe('npm run audit:verify', () => {
  it('says the chain is intact and how many rows it checked', async () => {
    const rows = await count();
    const { code, out } = await runVerifier();
    expect(code).toBe(0);
    expect(out).toContain(`Audit chain intact: ${rows} row(s) checked; head row ${rows}`);
  });

  it('names exactly the row edited in the database, by its own hash, and is intact again once it is restored', async () => {
    const original = await rowAt(7);
    await tamper((db) => db('audit_events').where({ id: 7 }).update({ actor_id: 'someone-else' }));

    expect(await verifyAuditChain(h.db)).toMatchObject({ intact: false, rows: 6, broken: { id: 7, problem: 'hash' } });
    const { code, out } = await runVerifier();
    expect(code).toBe(1);
    expect(out).toContain('Audit chain BROKEN at row 7 (hash)');

    await tamper((db) => db('audit_events').where({ id: 7 }).update({ actor_id: original.actor_id }));
    expect(await verifyAuditChain(h.db)).toMatchObject({ intact: true });
  });

  it('names the row after one whose edit was re-hashed to match, by its link', async () => {
    const original = await rowAt(12);
    // A forger who recomputes row 12's hash still breaks row 13's prev_hash.
    await tamper((db) => db('audit_events').where({ id: 12 }).update({ status: 200, hash: 'f'.repeat(64) }));
    expect(await verifyAuditChain(h.db)).toMatchObject({ intact: false, broken: { id: 12, problem: 'hash' } });
    const previous = fromRecord(await rowAt(11));
    const [forged] = chain(previous, [{ ...fromRecord(original), status: 200 }]);
    await tamper((db) => db('audit_events').where({ id: 12 }).update({ hash: forged.hash }));
    expect(await verifyAuditChain(h.db)).toMatchObject({ intact: false, broken: { id: 13, problem: 'link' } });

    await tamper((db) => db('audit_events').where({ id: 12 }).update({ status: original.status, hash: original.hash }));
    expect(await verifyAuditChain(h.db)).toMatchObject({ intact: true });
  });

  it('catches a deleted row: the gap is named', async () => {
    await tamper((db) => db('audit_events').where({ id: 20 }).delete());
    expect(await verifyAuditChain(h.db)).toMatchObject({ intact: false, rows: 19, broken: { id: 21, problem: 'missing' } });
    const { code, out } = await runVerifier();
    expect(code).toBe(1);
    expect(out).toContain('Audit chain BROKEN at row 21 (missing): rows 20..20 are missing before row 21 (deleted)');
  });
});

describe('migrations', () => {
  it('roll back and forward: the triggers, then the table', async () => {
    await h.db.migrate.down({ migrationSource, name: '20261127011100_audit_events_append_only' });
    await h.db('audit_events').where({ id: 1 }).update({ status: 599 });
    await h.db.migrate.down({ migrationSource, name: '20261127011000_create_audit_events' });
    expect(await h.db.schema.hasTable('audit_events')).toBe(false);
    await h.db.migrate.latest({ migrationSource });
    expect(await count()).toBe(0);
    await expect(h.db.raw('truncate audit_events')).rejects.toThrow(/append-only: TRUNCATE refused/);
  });
});
