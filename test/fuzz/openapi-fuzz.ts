/**
 * Fuzzes every operation of a running API's /openapi.json: generated params, query, headers, credentials and
 * bodies (valid, broken in one place, hostile, wrong content type), sent one at a time. It counts statuses, 5xx,
 * crashes (the connection failed), error bodies outside the documented shape, and refused requests that wrote
 * rows (row counts of every table before and after each 4xx, when the target can count them).
 */
import fc from 'fast-check';
import type { Components, JsonSchema } from './arbitraries';
import { requestArbitrary, toHttp, type FuzzRequest } from './requests';

export interface FuzzTarget {
  baseUrl: string;
  /** Header sets by name; `fuzzApi` picks the one an operation's security asks for most of the time. */
  credentials: { tenant: Headers; otherTenant: Headers; wrongTenant: Headers; platformAdmin: Headers; staffSession: Headers; apiKey: Headers };
  /** Existing ids per path-parameter name (shared arrays grow as the fuzz creates customers). */
  knownIds: Record<string, string[]>;
  /** Row count of every table, to prove refused requests write nothing. */
  countRows?: () => Promise<Record<string, number>>;
  /** Valid bodies the schema alone cannot describe (password policy, captcha), by "METHOD /path". */
  samples?: Record<string, fc.Arbitrary<unknown>>;
}

export type Headers = Record<string, string>;

export interface Sample {
  request: string;
  status?: number;
  detail: string;
}

export interface FuzzReport {
  requests: number;
  durationMs: number;
  statuses: Record<number, number>;
  serverErrors: Sample[];
  crashes: Sample[];
  malformedErrorBodies: Sample[];
  refusedWrites: Sample[];
  /** Totals; the sample lists above keep the first few of each. */
  counts: { crashes: number; malformedErrorBodies: number; refusedWrites: number };
  operations: number;
}

export interface Operation {
  method: string;
  path: string;
  security: string;
  params: Array<{ name: string; in: string; schema: JsonSchema }>;
  body?: JsonSchema;
}

export async function loadOperations(baseUrl: string): Promise<{ operations: Operation[]; components: Components }> {
  const doc = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as JsonSchema;
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Record<string, JsonSchema>>(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const scheme = Object.keys(op.security?.[0] ?? {})[0];
      operations.push({
        method: method.toUpperCase(),
        path,
        security: scheme === 'bearer' ? 'tenant' : scheme ?? 'none',
        params: op.parameters ?? [],
        body: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return { operations, components: doc.components?.schemas ?? {} };
}

export async function fuzzApi(
  target: FuzzTarget,
  options: { requests: number; seed: number; onProgress?: (done: number) => void; only?: RegExp },
): Promise<FuzzReport> {
  const loaded = await loadOperations(target.baseUrl);
  const { components } = loaded;
  // A narrowed run (FUZZ_ONLY) spends its requests on the routes being worked on.
  const operations = options.only ? loaded.operations.filter((op) => options.only!.test(`${op.method} ${op.path}`)) : loaded.operations;
  const arbitrary = requestArbitrary(operations, components, target.samples);
  const report: FuzzReport = { requests: 0, durationMs: 0, statuses: {}, serverErrors: [], crashes: [], malformedErrorBodies: [], refusedWrites: [], counts: { crashes: 0, malformedErrorBodies: 0, refusedWrites: 0 }, operations: operations.length };
  const started = Date.now();
  const keep = (list: Sample[], sample: Sample) => list.length < 25 && list.push(sample);
  let dirty = false;
  const CHUNK = 200;
  for (let chunk = 0; report.requests < options.requests; chunk++) {
    const batch = fc.sample(arbitrary, { numRuns: Math.min(CHUNK, options.requests - report.requests), seed: options.seed + chunk });
    for (const request of batch) {
      const { url, init, describe } = toHttp(request, target);
      if (dirty && target.countRows) await quiesce(target.countRows);
      const before = await target.countRows?.();
      report.requests++;
      let status: number;
      let text: string;
      try {
        const response = await fetch(url, init);
        status = response.status;
        text = await response.text();
      } catch (error) {
        const e = error as Error & { cause?: { code?: string } };
        // Not a server fault: the client itself refused to build the request (an invalid URL or header).
        if (e.name === 'TypeError' && e.message !== 'fetch failed') {
          report.requests--;
          continue;
        }
        report.counts.crashes++;
        keep(report.crashes, { request: describe, detail: `${e.name}: ${e.message} ${e.cause?.code ?? ''}` });
        continue;
      }
      report.statuses[status] = (report.statuses[status] ?? 0) + 1;
      if (status >= 500) keep(report.serverErrors, { request: describe, status, detail: text.slice(0, 500) });
      if (status >= 400 && !hasErrorShape(text) && ++report.counts.malformedErrorBodies) keep(report.malformedErrorBodies, { request: describe, status, detail: text.slice(0, 300) });
      const after = await target.countRows?.();
      const changed = before && after ? changedTables(before, after) : [];
      if (status >= 400 && status < 500 && changed.length > 0 && (await writesAgain(request, target))) {
        report.counts.refusedWrites++;
        keep(report.refusedWrites, { request: describe, status, detail: `rows changed in ${changed.join(', ')}: ${text.slice(0, 200)}` });
      }
      dirty = changed.length > 0 || (status < 300 && request.op.method !== 'GET');
      if (status === 201) learnIds(text, target);
      options.onProgress?.(report.requests);
    }
  }
  report.durationMs = Date.now() - started;
  return report;
}

function hasErrorShape(text: string): boolean {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown; error_description?: unknown };
    return typeof body.error === 'string' && (typeof body.message === 'string' || typeof body.error_description === 'string');
  } catch {
    return false;
  }
}

function changedTables(before: Record<string, number>, after: Record<string, number>): string[] {
  return Object.keys(after).filter((table) => before[table] !== after[table]);
}

/**
 * A refused request during which rows changed: a workflow started earlier may have written meanwhile (a KYC
 * callback arrives seconds later). Send it again once the database is quiet; only a repeat write counts.
 */
async function writesAgain(request: FuzzRequest, target: FuzzTarget): Promise<boolean> {
  await quiesce(target.countRows!);
  const before = await target.countRows!();
  const { url, init } = toHttp(request, target);
  const response = await fetch(url, init);
  await response.text();
  return response.status >= 400 && changedTables(before, await target.countRows!()).length > 0;
}

/** After a request that wrote, wait until the workflows it started stop writing, so the next diff is its own. */
async function quiesce(countRows: () => Promise<Record<string, number>>): Promise<void> {
  let last = JSON.stringify(await countRows());
  for (let stable = 0, i = 0; stable < 2 && i < 30; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = JSON.stringify(await countRows());
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
}

function learnIds(text: string, target: FuzzTarget): void {
  try {
    const body = JSON.parse(text) as { customerId?: string; data?: { customer_id?: string } };
    const id = body.customerId ?? body.data?.customer_id;
    if (id && target.knownIds.customerId && !target.knownIds.customerId.includes(id)) target.knownIds.customerId.push(id);
  } catch {
    // Not JSON: nothing to learn.
  }
}

export function formatReport(report: FuzzReport): string {
  const statuses = Object.entries(report.statuses).map(([status, count]) => `${status}: ${count}`).join(', ');
  const fivexx = Object.entries(report.statuses).filter(([s]) => Number(s) >= 500).reduce((sum, [, n]) => sum + n, 0);
  return [
    `requests: ${report.requests} over ${report.operations} operations in ${(report.durationMs / 1000).toFixed(1)} s (${Math.round(report.requests / (report.durationMs / 1000))}/s)`,
    `statuses: ${statuses}`,
    `5xx: ${fivexx}, crashes: ${report.counts.crashes}, error bodies outside the documented shape: ${report.counts.malformedErrorBodies}, refused requests that wrote rows: ${report.counts.refusedWrites}`,
    ...[...report.serverErrors, ...report.crashes, ...report.malformedErrorBodies, ...report.refusedWrites].slice(0, 20).map((s) => `  ${s.status ?? '-'} ${s.request}\n      → ${s.detail}`),
  ].join('\n');
}
