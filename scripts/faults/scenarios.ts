/**
 * The fault experiments. Each drives real onboardings through the API of a lab (scripts/faults/lab.ts), breaks
 * one thing while they run, and reports what a tenant and an operator would check afterwards: did every onboarding
 * finish, was any e-mail sent twice, did any verification open two checks at the provider, what did the API answer
 * while the fault lasted.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createDb, type Knex } from '../../common/db';
import { AnswerLog, createTenantApi, drive, duplicateEmails, pool, register, SETTLED, type Customer, type TenantApi } from './driver';
import type { Lab } from './lab';

export interface Figures {
  scenario: string;
  ok: boolean;
  figures: Record<string, unknown>;
}

export interface Sizing {
  count: number;
  concurrency: number;
  /** Overall limit for the onboardings to settle, in seconds. */
  timeoutS: number;
}

/** Onboardings the database and the provider saw twice, and customers lost between API and database. */
export async function integrity(db: Knex, lab: Lab, tenantId: string, customers: Customer[]) {
  const rows: Array<{ id: string; email: string }> = await db('customers').where({ tenant_id: tenantId }).select('id', 'email');
  const stored = new Set(rows.map((r) => r.id));
  const perEmail = new Map<string, number>();
  for (const r of rows) perEmail.set(r.email.toLowerCase(), (perEmail.get(r.email.toLowerCase()) ?? 0) + 1);
  const verifications: Array<{ customer_id: string; n: string }> = await db('kyc_verifications')
    .where({ tenant_id: tenantId })
    .groupBy('customer_id')
    .select('customer_id', db.raw('count(*) as n'));
  const checks = lab.provider.checksByReference();
  return {
    customersLost: customers.filter((c) => !stored.has(c.customerId)).length,
    customersDuplicated: [...perEmail.values()].filter((n) => n > 1).length,
    duplicateEmails: await duplicateEmails(lab.inboxUrl, customers.map((c) => c.email)),
    verificationsOpenedTwice: verifications.filter((v) => Number(v.n) > 1).length,
    providerChecksDuplicated: [...checks.values()].filter((ids) => ids.size > 1).length,
  };
}

/** The provider calls of this experiment alone: the proxy counts since the lab started. */
function since(before: Record<string, number>, after: Record<string, number>) {
  return Object.fromEntries(Object.entries(after).map(([name, n]) => [name, n - (before[name] ?? 0)]));
}

export function tally(statuses: string[]) {
  const counts: Record<string, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}

export async function withTenant<T>(lab: Lab, settings: Record<string, unknown>, work: (api: TenantApi, db: Knex) => Promise<T>): Promise<T> {
  const db = createDb(lab.databaseUrl, 4);
  try {
    return await work(await createTenantApi(lab.apiUrl, lab.dir, lab.adminToken, settings), db);
  } finally {
    await db.destroy();
  }
}

/** kill -9 the worker while every onboarding is open, start it again: all finish, nothing sent or opened twice. */
export async function workerKill(lab: Lab, size: Sizing): Promise<Figures> {
  return withTenant(lab, {}, async (api, db) => {
    const deadline = Date.now() + size.timeoutS * 1000;
    const registered = (await pool([...Array(size.count).keys()], size.concurrency, () => register(api, 'Worker', deadline))).filter(
      (c): c is Customer => c !== undefined,
    );
    const settled: string[] = [];
    const driving = pool(registered, size.concurrency, async (c) => {
      const status = await drive(api, lab.inboxUrl, c, deadline);
      settled.push(status);
      return status;
    });
    // Let a tenth of them finish, then kill the worker with the rest mid-flight.
    while (settled.length < Math.max(1, Math.floor(registered.length / 10)) && Date.now() < deadline) await sleep(200);
    const inFlightAtKill = registered.length - settled.length;
    await lab.killWorker();
    await sleep(3_000);
    const restartStarted = Date.now();
    await lab.startWorker();
    const restartS = (Date.now() - restartStarted) / 1000;
    const statuses = await driving;
    const checks = await integrity(db, lab, api.tenantId, registered);
    const outcome = tally(statuses);
    return {
      scenario: 'worker-kill',
      ok: registered.length === size.count && outcome.ACTIVE === registered.length && Object.values(checks).every((n) => n === 0),
      figures: { registered: registered.length, inFlightAtKill, workerRestartS: restartS, outcome, ...checks, answers: api.log.summary() },
    };
  });
}

/** PostgreSQL stopped for `outageS` under load: the API answers 503 (never 500, never hangs); all resume. */
export async function postgresOutage(lab: Lab, size: Sizing & { outageS: number }): Promise<Figures> {
  return withTenant(lab, {}, async (api, db) => {
    const deadline = Date.now() + size.timeoutS * 1000;
    const customers: Customer[] = [];
    const statuses: string[] = [];
    let registrationsRefused = 0;
    const running = pool([...Array(size.count).keys()], size.concurrency, async () => {
      const customer = await register(api, 'Outage', deadline);
      if (!customer) {
        registrationsRefused += 1;
        return;
      }
      customers.push(customer);
      statuses.push(await drive(api, lab.inboxUrl, customer, deadline));
    });
    // The outage starts as soon as onboardings are under way, so it meets registrations and steps alike.
    while (customers.length < Math.min(2, size.count) && Date.now() < deadline) await sleep(50);
    const before = api.log;
    const during = new AnswerLog();
    api.log = during;
    await lab.stopPostgres();
    await sleep(size.outageS * 1000);
    await lab.startPostgres();
    api.log = before;
    await running;
    const checks = await integrity(db, lab, api.tenantId, customers);
    const outcome = tally(statuses);
    const duringSummary = during.summary();
    return {
      scenario: 'postgres-outage',
      ok:
        during.count((s) => s >= 500 && s !== 503) === 0 &&
        during.count((s) => s === 0) === 0 &&
        outcome.ACTIVE === customers.length &&
        registrationsRefused === 0 &&
        Object.values(checks).every((n) => n === 0),
      figures: {
        outageS: size.outageS,
        answersDuringOutage: duringSummary,
        slowestAnswerDuringOutageMs: during.slowest,
        registered: customers.length,
        registrationsRefused,
        outcome,
        ...checks,
      },
    };
  });
}

/** The provider answers half its calls with 5xx or not at all: every case still ends decided or with staff. */
export async function providerFaults(lab: Lab, size: Sizing): Promise<Figures> {
  const lastNames = ['Provider', 'Reject', 'Review', 'Slow'];
  return withTenant(lab, { kycResultTimeoutSeconds: 60 }, async (api, db) => {
    const deadline = Date.now() + size.timeoutS * 1000;
    const before = lab.provider.counts();
    lab.provider.misbehave({ errorRate: 0.25, hangRate: 0.25 });
    try {
      const registered = (
        await pool([...Array(size.count).keys()], size.concurrency, (i) => register(api, lastNames[i % lastNames.length], deadline))
      ).filter((c): c is Customer => c !== undefined);
      const statuses = await pool(registered, size.concurrency, (c) => drive(api, lab.inboxUrl, c, deadline));
      const stuck = statuses.filter((s) => !SETTLED.has(s)).length;
      const checks = await integrity(db, lab, api.tenantId, registered);
      const expected = (c: Customer) => ({ Reject: 'REJECTED', Review: 'MANUAL_REVIEW' })[c.lastName] ?? 'ACTIVE';
      return {
        scenario: 'provider-faults',
        ok: stuck === 0 && registered.length === size.count && checks.customersLost === 0 && checks.duplicateEmails === 0,
        figures: {
          registered: registered.length,
          outcome: tally(statuses),
          stuck,
          /** A check the provider could not take even after its retries goes to staff instead of its magic outcome. */
          sentToStaffInstead: registered.filter((c, i) => statuses[i] === 'MANUAL_REVIEW' && expected(c) !== 'MANUAL_REVIEW').length,
          providerCalls: since(before, lab.provider.counts()),
          ...checks,
        },
      };
    } finally {
      lab.provider.misbehave({ errorRate: 0, hangRate: 0 });
    }
  });
}
