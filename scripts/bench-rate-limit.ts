/**
 * `npm run bench:rate-limit -- [--rounds 20] [--requests 200] [--concurrency 4] [--database-url postgres://...] [--json]`
 *
 * What the rate limiter adds to a request. Three API servers in this one process, on one database: `limited` as it
 * runs (the tenant's limit read from its row, then the count in the `rate_limits` table); `lookup`, the same with a
 * counter that counts nothing (what the tier lookup alone costs: the capability gate reads that same row, once per
 * request, so merged with it this part is shared); and `none`, built without rate limits. Each round sends
 * --requests GETs of a cheap tenant route (a small reference list) to each, in slices of 20 taking turns in
 * rotating order, --concurrency at a time, and compares the mean time per request. Reports each ratio to `none` per round and its geometric mean: the
 * figures to compare, unlike absolute times on a noisy machine. Without
 * --database-url it starts a throw-away embedded PostgreSQL. Temporal is never called by this route, so none runs.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { parseConfig } from '../common/config';
import { createDb } from '../common/db';
import { createLogger } from '../common/logger';
import { resolveSecrets } from '../common/secrets';
import { startApiServer, type RunningApi } from '../api/server';
import type { RateLimitCounter } from '../api/http/rate-limit-store';
import { createDatabaseIfMissing } from '../devstack/databases';
import { startEmbeddedPostgres } from '../devstack/postgres';
import { migrateToLatest } from '../migrations';
import { parseFlags } from './bench-support';

const ROUTE = '/v2/reference/account-purposes';
const VARIANTS = ['limited', 'lookup', 'none'] as const;
type Variant = (typeof VARIANTS)[number];
const SLICE = 20;

/** Reads the tenant's limit like the real check, then counts nothing: isolates the store's share of the cost. */
const countsNothing: RateLimitCounter = { consume: async (_key, limit) => ({ allowed: true, limit, remaining: limit, resetSeconds: 60 }) };
const geometricMean = (values: number[]) => Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

async function main() {
  const flags = parseFlags(process.argv.slice(2), ['--rounds', '--requests', '--concurrency', '--database-url']);
  const rounds = flags.number('--rounds', 20, 1, true);
  const requests = flags.number('--requests', 200, 10, true);
  const concurrency = flags.number('--concurrency', 4, 1, true);
  const dir = mkdtempSync(join(tmpdir(), 'bench-rate-limit-'));
  chmodSync(dir, 0o755);
  const cleanups: Array<() => Promise<unknown>> = [async () => rmSync(dir, { recursive: true, force: true })];
  try {
    let serverUrl = flags.optional('--database-url');
    if (!serverUrl) {
      const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), port: await freePort(), persistent: false });
      cleanups.push(postgres.stop);
      serverUrl = postgres.url('postgres');
    }
    const databaseUrl = await createDatabaseIfMissing(serverUrl, `bench_rate_limit_${randomBytes(4).toString('hex')}`);
    const config = parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, DATA_DIR: dir, DOCUMENT_DIR: join(dir, 'documents') });
    const secrets = resolveSecrets(config);
    const db = createDb(databaseUrl, 20);
    cleanups.push(() => db.destroy());
    await migrateToLatest(db);
    const connection = Connection.lazy({ address: '127.0.0.1:1' });
    const deps = { db, temporal: new Client({ connection }), logger: createLogger('silent', 'bench') };
    const servers: Record<Variant, RunningApi> = {
      limited: await startApiServer(config, secrets, deps, 0),
      lookup: await startApiServer(config, secrets, { ...deps, rateLimitCounter: countsNothing }, 0),
      none: await startApiServer(config, secrets, { ...deps, rateLimitCounter: null }, 0),
    };
    cleanups.push(...Object.values(servers).map((api) => api.close));

    const headers = await benchTenant(servers.limited, secrets.platformAdminToken, db);
    // Warm each (connections, JIT), then measure.
    for (const api of Object.values(servers)) await timeRound(api.url, headers, Math.min(requests, 100), concurrency);
    const loadBefore = load();
    const results: Array<{ round: number; ms: Record<Variant, number>; limitedRatio: number; lookupRatio: number }> = [];
    for (let round = 0; round < rounds; round++) {
      // Slices of SLICE requests, the variants taking turns in rotating order: a burst of load elsewhere on the
      // machine weighs on all three alike.
      const ms: Record<Variant, number> = { limited: 0, lookup: 0, none: 0 };
      for (let slice = 0; slice * SLICE < requests; slice++) {
        const size = Math.min(SLICE, requests - slice * SLICE);
        for (let i = 0; i < VARIANTS.length; i++) {
          const variant = VARIANTS[(i + slice + round) % VARIANTS.length];
          ms[variant] += ((await timeRound(servers[variant].url, headers, size, concurrency)) * size) / requests;
        }
      }
      const entry = { round: round + 1, ms, limitedRatio: ms.limited / ms.none, lookupRatio: ms.lookup / ms.none };
      results.push(entry);
      if (!flags.has('--json')) {
        console.log(`round ${entry.round}: ms/req ${VARIANTS.map((v) => `${v} ${ms[v].toFixed(3)}`).join('  ')}  limited/none ${entry.limitedRatio.toFixed(3)}  lookup/none ${entry.lookupRatio.toFixed(3)}  load ${load()}`);
      }
    }
    const summarize = (ratios: number[]) => ({ geometricMean: geometricMean(ratios), median: median(ratios), range: [Math.min(...ratios), Math.max(...ratios)] });
    const summary = {
      route: `GET ${ROUTE}`,
      rounds,
      requestsPerRound: requests,
      concurrency,
      limitedToNone: summarize(results.map((r) => r.limitedRatio)),
      lookupToNone: summarize(results.map((r) => r.lookupRatio)),
      loadAverage: { before: loadBefore, after: load() },
      results,
    };
    if (flags.has('--json')) console.log(JSON.stringify(summary));
    else {
      const line = (s: ReturnType<typeof summarize>) => `geometric mean ${s.geometricMean.toFixed(3)}, median ${s.median.toFixed(3)}, per round ${s.range.map((r) => r.toFixed(3)).join('–')}`;
      console.log(`Rate limiter on GET ${ROUTE}: ${rounds} rounds of ${requests} requests at concurrency ${concurrency}, time per request
  limited/none   ${line(summary.limitedToNone)}   (tier lookup + count in PostgreSQL)
  lookup/none    ${line(summary.lookupToNone)}   (tier lookup alone)
  load average   before ${summary.loadAverage.before}, after ${summary.loadAverage.after} (1, 5, 15 min)`);
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error(error));
  }
}

/** A CUSTOM tenant whose limit no run reaches, so every measured request is served, and its call headers. */
async function benchTenant(api: RunningApi, adminToken: string, db: ReturnType<typeof createDb>): Promise<Record<string, string>> {
  const created = await fetch(`${api.url}/api/v2.1/admin/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench Bank', tier: 'CUSTOM' }),
  });
  const tenant = (await created.json()) as { tenantId: string; clientId: string; clientSecret: string };
  if (created.status !== 201) throw new Error(`tenant creation failed: ${created.status} ${JSON.stringify(tenant)}`);
  // The platform admin's custom-limit route is the tenancy-admin work; until it is merged the script sets the column.
  await db('tenants').where({ id: tenant.tenantId }).update({ custom_rate_limit_per_minute: 1_000_000, custom_capabilities: ['SCT01'] });
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: tenant.clientId, client_secret: tenant.clientSecret });
  const issued = (await (await fetch(`${api.url}/api/v2.1/oauth/token`, { method: 'POST', body: form })).json()) as { access_token?: string };
  if (!issued.access_token) throw new Error('token request failed');
  return { authorization: `Bearer ${issued.access_token}`, 'x-tenant-id': tenant.tenantId };
}

/** Mean wall time per request (ms) of `count` GETs, `concurrency` in flight; any answer but 200 stops the run. */
async function timeRound(url: string, headers: Record<string, string>, count: number, concurrency: number): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < count) {
      next++;
      const res = await fetch(`${url}${ROUTE}`, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET ${ROUTE} answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return Number(process.hrtime.bigint() - started) / 1e6 / count;
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
