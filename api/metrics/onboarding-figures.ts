/**
 * Figures read from PostgreSQL when Prometheus scrapes the API: onboardings by type and status, and webhook
 * delivery health. They describe the whole platform (operators watch it, not one tenant), so these are the only
 * queries that do not name a tenant, and they return counts and ages only. Webhook figures come from the delivery
 * tables, not from the delivery code, and look at a recent window (RECENT) so their cost does not grow with history;
 * the indexes they use come with migrations 20261127013200–013220.
 *
 * One snapshot serves every gauge and is reused for SNAPSHOT_TTL_MS, so two Prometheus replicas scraping the same
 * API do not double the queries. Every API replica reports the same figures: aggregate them with max, not sum.
 */
import { Gauge, Registry } from 'prom-client';
import type { Knex } from '../../common/db';

const SNAPSHOT_TTL_MS = 10_000;
/** The window of the `_recent` figures. */
const RECENT = "interval '15 minutes'";

interface Snapshot {
  customers: Array<{ type: string; status: string; count: number; oldest_seconds: number }>;
  subscriptions: Array<{ state: string; count: number }>;
  pending: { count: number; due: number; oldest_seconds: number | null };
  completedRecent: Array<{ status: string; count: number }>;
  attemptsRecent: Array<{ result: string; count: number }>;
  latencyRecent: { p50: number | null; p99: number | null };
}

export function createOnboardingFigures(db: Knex): Registry {
  const registry = new Registry();
  const snapshot = cachedFor(SNAPSHOT_TTL_MS, () => readSnapshot(db));
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge, s: Snapshot) => void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const current = await snapshot();
        this.reset();
        fill(this, current);
      },
    });

  gauge('onboarding_customers', 'Customers (individuals and organizations) by type and current status', ['type', 'status'], (g, s) =>
    s.customers.forEach((row) => g.set({ type: row.type, status: row.status }, row.count)),
  );
  gauge(
    'onboarding_customers_oldest_update_seconds',
    'Per type and status, seconds since the least recently updated customer in it changed (a customer stuck in a step)',
    ['type', 'status'],
    (g, s) => s.customers.forEach((row) => g.set({ type: row.type, status: row.status }, row.oldest_seconds)),
  );
  gauge('onboarding_webhook_subscriptions', 'Webhook subscriptions: enabled, or disabled and why (tenant, gone, failing)', ['state'], (g, s) =>
    s.subscriptions.forEach((row) => g.set({ state: row.state }, row.count)),
  );
  gauge('onboarding_webhook_deliveries_pending', 'Webhook deliveries still owed (PENDING)', [], (g, s) => g.set(s.pending.count));
  gauge('onboarding_webhook_deliveries_due', 'Pending webhook deliveries whose next attempt is due now or overdue', [], (g, s) => g.set(s.pending.due));
  gauge('onboarding_webhook_oldest_pending_seconds', 'Age of the oldest pending webhook delivery (0 when none)', [], (g, s) =>
    g.set(s.pending.oldest_seconds ?? 0),
  );
  gauge('onboarding_webhook_deliveries_completed_recent', 'Webhook deliveries completed in the last 15 minutes, by final status', ['status'], (g, s) =>
    s.completedRecent.forEach((row) => g.set({ status: row.status }, row.count)),
  );
  gauge('onboarding_webhook_attempts_recent', 'Webhook delivery attempts in the last 15 minutes, by result (2xx, 4xx, 5xx …, or error: no answer)', ['result'], (g, s) =>
    s.attemptsRecent.forEach((row) => g.set({ result: row.result }, row.count)),
  );
  gauge('onboarding_webhook_attempt_latency_recent_seconds', 'Latency of webhook delivery attempts in the last 15 minutes, by quantile', ['quantile'], (g, s) => {
    if (s.latencyRecent.p50 !== null) g.set({ quantile: '0.5' }, s.latencyRecent.p50);
    if (s.latencyRecent.p99 !== null) g.set({ quantile: '0.99' }, s.latencyRecent.p99);
  });
  return registry;
}

/** One query after another: a scrape holds at most one pooled connection, never several the API's requests need. */
async function readSnapshot(db: Knex): Promise<Snapshot> {
  const rows = async (sql: string) => (await db.raw(sql)).rows;
  const customers = await rows(`select type, status, count(*)::int as count, extract(epoch from now() - min(updated_at))::float8 as oldest_seconds
      from customers group by type, status`);
  const subscriptions = await rows(`select case when enabled then 'enabled' else 'disabled_' || lower(disabled_reason) end as state, count(*)::int as count
      from webhook_subscriptions group by 1`);
  const [pending] = await rows(`select count(*)::int as count, (count(*) filter (where next_attempt_at <= now()))::int as due,
        extract(epoch from now() - min(created_at))::float8 as oldest_seconds
      from webhook_deliveries where status = 'PENDING'`);
  const completedRecent = await rows(`select status, count(*)::int as count from webhook_deliveries
      where completed_at is not null and completed_at > now() - ${RECENT} group by status`);
  const attemptsRecent = await rows(`select coalesce((status_code / 100)::text || 'xx', 'error') as result, count(*)::int as count
      from webhook_delivery_attempts where attempted_at > now() - ${RECENT} group by 1`);
  const [latencyRecent] = await rows(`select percentile_cont(0.5) within group (order by latency_ms) / 1000.0 as p50,
        percentile_cont(0.99) within group (order by latency_ms) / 1000.0 as p99
      from webhook_delivery_attempts where attempted_at > now() - ${RECENT}`);
  return { customers, subscriptions, pending, completedRecent, attemptsRecent, latencyRecent };
}

/** The last answer for `ttlMs`; concurrent callers share one read, and a failed read is not kept. */
function cachedFor<T>(ttlMs: number, read: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > ttlMs) {
      const value = read();
      const entry = { at: Date.now(), value };
      last = entry;
      value.catch(() => {
        if (last === entry) last = undefined;
      });
    }
    return last.value;
  };
}
