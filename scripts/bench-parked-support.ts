/**
 * What `npm run bench:parked` (scripts/bench-parked.ts) needs besides the open-loop load: a tenant whose rate limit
 * the fill cannot reach, the fill itself (registrations as fast as the stack takes them, left parked on their
 * e-mail wait), and a snapshot of the process memory and the worker's sticky cache.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REGISTRATION_ROUTES } from './bench-routes';
import { adminHeaders, tenantHeaders, type TenantCredentials } from './bench-support';
import { rssMiB } from './bench-processes';

const TENANT_FILE = 'bench-parked-tenant.json';
/** No run reaches it: the fill is bounded by the stack, not by the tenant's budget (PROFESSIONAL: 500 a minute). */
const BENCH_RATE_PER_MINUTE = 1_000_000;

/**
 * A CUSTOM tenant with a rate limit no run reaches, created once through the platform admin's routes (a staff session
 * bootstrapped from the platform token in DATA_DIR, scripts/dev-staff.ts) and kept in DATA_DIR for later runs.
 */
export async function benchTenant(apiUrl: string, dataDir: string, adminToken?: string): Promise<Required<TenantCredentials>> {
  const file = join(dataDir, TENANT_FILE);
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Required<TenantCredentials>;
    await tenantHeaders(apiUrl, dataDir, saved);
    return saved;
  } catch {
    // none yet, or not this stack's (a wiped data directory): make one
  }
  const admin = await adminHeaders(apiUrl, dataDir, adminToken);
  const call = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${apiUrl}${path}`, { method, headers: admin, body: JSON.stringify(body) });
    const answer = (await response.json()) as Record<string, string>;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  const created = await call('POST', '/api/v2.1/admin/tenants', { name: `Parked bench ${randomBytes(3).toString('hex')}`, tier: 'CUSTOM' });
  await call('PATCH', `/api/v2.1/admin/tenants/${created.tenantId}`, { customCapabilities: ['SCT01'], customRatePerMinute: BENCH_RATE_PER_MINUTE });
  const tenant = { tenantId: created.tenantId, clientId: created.clientId, clientSecret: created.clientSecret };
  writeFileSync(file, JSON.stringify(tenant, null, 2), { mode: 0o600 });
  return tenant;
}

export interface FillResult {
  requested: number;
  created: number;
  /** 503 (load shed) and 429 answers, each retried after a pause: the stack's back-pressure, not failures. */
  retried: number;
  failed: number;
  wallS: number;
  firstErrors: string[];
}

/**
 * `count` v2 registrations, `concurrency` at a time, each retried on 503/429 until it is answered 201; progress on
 * stderr. Each one's workflow stays parked on the e-mail code it was sent.
 */
export async function fillParked(apiUrl: string, dataDir: string, tenant: TenantCredentials, count: number, concurrency: number): Promise<FillResult> {
  const { path, body } = REGISTRATION_ROUTES.v2;
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  let headers = await tenantHeaders(apiUrl, dataDir, tenant);
  const result: FillResult = { requested: count, created: 0, retried: 0, failed: 0, wallS: 0, firstErrors: [] };
  const started = Date.now();
  let next = 0;
  let reported = 0;
  const progress = () => {
    const done = result.created + result.failed;
    if (done - reported < Math.max(1, Math.floor(count / 50)) && done < count) return;
    reported = done;
    const rate = result.created / ((Date.now() - started) / 1000);
    process.stderr.write(`  filling: ${result.created}/${count} parked, ${result.failed} failed, ${result.retried} retried, ${rate.toFixed(1)}/s\n`);
  };
  const registerOne = async (i: number) => {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${apiUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body(`parked.${runId}.${i}@example.com`)) }).catch(
        (error: Error) => ({ status: 0, text: async () => error.message }),
      );
      const text = await response.text();
      if (response.status === 201) return void result.created++;
      // A 503 past the Temporal call deadline may come after the customer was stored: its retry meets the duplicate.
      if (attempt > 0 && response.status === 400 && text.includes('already registered')) return void result.created++;
      if ((response.status === 503 || response.status === 429) && attempt < 20) {
        result.retried++;
        await sleep(250 * Math.min(attempt + 1, 8));
        continue;
      }
      if (response.status === 401 && attempt === 0) {
        headers = await tenantHeaders(apiUrl, dataDir, tenant); // the access token expired during a long fill
        continue;
      }
      result.failed++;
      if (result.firstErrors.length < 5) result.firstErrors.push(`${response.status}: ${text.slice(0, 200)}`);
      return;
    }
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        await registerOne(next++);
        progress();
      }
    }),
  );
  result.wallS = (Date.now() - started) / 1000;
  return result;
}

export interface MemorySnapshot {
  /** VmRSS of each process measured (`npm start`: the API's, which runs the worker too), MiB. */
  rssMiB: Record<string, number>;
  /** From the processes' /metrics (prom-client and the Temporal SDK), when they answer. */
  heapUsedMiB?: number;
  stickyCacheSize?: number;
  stickyCacheEvictions?: number;
}

/** Sum of a metric's samples (every label set) in a Prometheus exposition, or undefined if absent. */
function metricSum(text: string, name: string): number | undefined {
  const values = text
    .split('\n')
    .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
    .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
  return values.length ? values.reduce((a, b) => a + b, 0) : undefined;
}

/** RSS of each named pid, and the heap and sticky-cache figures of the `/metrics` endpoints given (summed). */
export async function memorySnapshot(pids: Record<string, number>, metricsUrls: string[], metricsToken?: string): Promise<MemorySnapshot> {
  const snapshot: MemorySnapshot = { rssMiB: Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssMiB(pid)])) };
  const add = (key: 'heapUsedMiB' | 'stickyCacheSize' | 'stickyCacheEvictions', value: number | undefined) => {
    if (value !== undefined) snapshot[key] = (snapshot[key] ?? 0) + value;
  };
  for (const url of metricsUrls) {
    const response = await fetch(url, { headers: metricsToken ? { authorization: `Bearer ${metricsToken}` } : {} }).catch(() => undefined);
    if (!response?.ok) continue;
    const text = await response.text();
    const heap = metricSum(text, 'nodejs_heap_size_used_bytes');
    add('heapUsedMiB', heap === undefined ? undefined : heap / 1024 / 1024);
    add('stickyCacheSize', metricSum(text, 'temporal_sticky_cache_size'));
    add('stickyCacheEvictions', metricSum(text, 'temporal_sticky_cache_total_forced_eviction'));
  }
  return snapshot;
}
