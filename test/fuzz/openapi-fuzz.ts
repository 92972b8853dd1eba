/**
 * Fuzzes every operation of a running API's /openapi.json: generated params, query, headers, credentials and
 * bodies (valid, broken in one place, hostile, wrong content type), sent one at a time. It counts statuses, 5xx,
 * crashes (the connection failed), error bodies outside the documented shape, and refused requests that wrote
 * rows (row counts of every table before and after each 4xx, when the target can count them).
 */
import fc from 'fast-check';
import { fuzzed, HOSTILE_STRINGS, hostileValue, nested, valid, type Components, type JsonSchema } from './arbitraries';

export interface FuzzTarget {
  baseUrl: string;
  /** Header sets by name; `fuzzApi` picks the one an operation's security asks for most of the time. */
  credentials: { tenant: Headers; otherTenant: Headers; wrongTenant: Headers; platformAdmin: Headers; apiKey: Headers };
  /** Existing ids per path-parameter name (shared arrays grow as the fuzz creates customers). */
  knownIds: Record<string, string[]>;
  /** Row count of every table, to prove refused requests write nothing. */
  countRows?: () => Promise<Record<string, number>>;
  /** Valid bodies the schema alone cannot describe (password policy, captcha), by "METHOD /path". */
  samples?: Record<string, fc.Arbitrary<unknown>>;
}

type Headers = Record<string, string>;

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

interface Operation {
  method: string;
  path: string;
  security: string;
  params: Array<{ name: string; in: string; schema: JsonSchema }>;
  body?: JsonSchema;
}

interface FuzzRequest {
  op: Operation;
  pathValues: Record<string, PathValue>;
  query: string;
  credential: keyof FuzzTarget['credentials'] | 'none' | 'garbage' | 'badBasic';
  tenantHeader?: string;
  envelope: { kind: 'json'; value: unknown } | { kind: 'form'; value: unknown } | { kind: 'raw'; text: string; type: string } | { kind: 'none' };
  idempotencyKey?: string;
}

type PathValue = { known: number } | { encoded: string } | { raw: string };

const URL_LITERALS = ['%zz', '%2F', '%2f', '..', '.', '%2e%2e', '%00', '%E0%A4%A', '%C0%AF', '%25', ';x', '%3F', 'a%2Fb', '%E2%80%AE'];
const CONTENT_TYPES = ['application/json', 'text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16',
  'application/json; charset=latin1', 'application/x-www-form-urlencoded', 'application/octet-stream', ''];
const RAW_BODIES = ['{', '{"a":', '[', 'null', '"x"', '1e999', '\uFEFF{}', '{"a":1,"a":2}', '[]', 'a=1&a=2', '%zz=%zz', '\u0000',
  '['.repeat(20_000), `{"x":"${'y'.repeat(150_000)}"}`, JSON.stringify(nested(3000))];

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

function requestArbitrary(ops: Operation[], components: Components, samples: FuzzTarget['samples'] = {}): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...ops).chain((op) => {
    const pathParams = op.params.filter((p) => p.in === 'path');
    const queryParams = op.params.filter((p) => p.in === 'query');
    const pathValue = (schema: JsonSchema): fc.Arbitrary<PathValue> =>
      fc.oneof(
        { weight: 5, arbitrary: fc.nat().map((known) => ({ known })) },
        { weight: 2, arbitrary: valid(schema, components).map((v) => ({ encoded: String(v) })) },
        { weight: 2, arbitrary: hostileValue.map((v) => ({ encoded: typeof v === 'string' ? v : JSON.stringify(v) ?? '' })) },
        { weight: 1, arbitrary: fc.constantFrom(...URL_LITERALS).map((raw) => ({ raw })) },
      );
    const sample = samples[`${op.method} ${op.path}`];
    const bodyValue = sample ? fc.oneof({ weight: 1, arbitrary: sample }, { weight: 6, arbitrary: fuzzed(op.body, components) }) : fuzzed(op.body, components);
    const hasBody = op.method !== 'GET';
    return fc.record({
      op: fc.constant(op),
      pathValues: fc.record(Object.fromEntries(pathParams.map((p) => [p.name, pathValue(p.schema)]))),
      query: queryArbitrary(queryParams, components),
      credential: fc.oneof(
        { weight: 12, arbitrary: fc.constant(op.security as FuzzRequest['credential']) },
        // Routes without a bearer scheme (the token endpoint, webhooks) are where a malformed Basic header lands.
        { weight: op.security === 'none' ? 4 : 0, arbitrary: fc.constant<FuzzRequest['credential']>('badBasic') },
        { weight: 1, arbitrary: fc.constantFrom<FuzzRequest['credential']>('none', 'garbage', 'badBasic', 'otherTenant', 'wrongTenant', 'tenant', 'platformAdmin', 'apiKey') },
      ),
      tenantHeader: rarely(fc.constantFrom(...HOSTILE_STRINGS)),
      envelope: hasBody
        ? fc.oneof(
            { weight: 8, arbitrary: bodyValue.map((value) => ({ kind: 'json' as const, value })) },
            { weight: 1, arbitrary: bodyValue.map((value) => ({ kind: 'form' as const, value })) },
            { weight: 2, arbitrary: fc.record({ kind: fc.constant('raw' as const), text: fc.oneof(fc.constantFrom(...RAW_BODIES), fc.string({ unit: 'binary', maxLength: 200 })), type: fc.constantFrom(...CONTENT_TYPES) }) },
            { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
          )
        : fc.constant({ kind: 'none' as const }),
      idempotencyKey: rarely(fc.oneof(fc.uuid(), fc.constantFrom(...HOSTILE_STRINGS))),
    });
  });
}

/** Present in about one request in ten. */
function rarely<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
}

function queryArbitrary(params: Operation['params'], components: Components): fc.Arbitrary<string> {
  const pairs = params.map((p) =>
    fc.option(fc.oneof(valid(p.schema, components).map(String), hostileValue.map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? ''))), { freq: 3 })
      .map((value) => (value === null ? '' : `${encoded(p.name)}=${encoded(value)}`)),
  );
  const junk = rarely(fc.constantFrom('unknown=1', 'page=1&page=2', 'page[a]=1', '%zz=%zz', 'page=%zz', '__proto__=x', 'a'.repeat(3000) + '=1'));
  return fc.tuple(fc.tuple(...pairs), junk).map(([values, extra]) => [...values, extra ?? ''].filter(Boolean).join('&'));
}

function toHttp(req: FuzzRequest, target: FuzzTarget): { url: string; init: RequestInit; describe: string } {
  let path = req.op.path;
  for (const [name, value] of Object.entries(req.pathValues)) {
    const pool = target.knownIds[name] ?? [];
    const text = 'known' in value ? pool[value.known % Math.max(pool.length, 1)] ?? 'x' : 'raw' in value ? value.raw : encoded(value.encoded);
    path = path.replace(`{${name}}`, text);
  }
  const url = `${target.baseUrl}${path}${req.query ? `?${req.query}` : ''}`;
  const headers: Headers = { ...credentialHeaders(req.credential, target) };
  if (req.tenantHeader !== undefined) headers['x-tenant-id'] = headerSafe(req.tenantHeader);
  if (req.idempotencyKey !== undefined) headers['idempotency-key'] = headerSafe(req.idempotencyKey);
  let body: string | undefined;
  const env = req.envelope;
  if (env.kind === 'json') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(env.value) ?? 'null';
  } else if (env.kind === 'form') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const fields: Array<[string, unknown]> = env.value && typeof env.value === 'object' ? Object.entries(env.value) : [['value', env.value]];
    body = new URLSearchParams(fields.map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? ''])).toString();
  } else if (env.kind === 'raw') {
    if (env.type) headers['content-type'] = env.type;
    body = env.text;
  }
  const describe = `${req.op.method} ${url.slice(target.baseUrl.length, 300)} [${req.credential}${req.tenantHeader !== undefined ? ', x-tenant-id' : ''}] ${headers['content-type'] ?? ''} ${(body ?? '').slice(0, 300)}`;
  return { url, init: { method: req.op.method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(30_000) }, describe };
}

/** encodeURIComponent throws on a lone surrogate; a client would send the replacement character. */
function encoded(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(value.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
  }
}

function credentialHeaders(credential: FuzzRequest['credential'], target: FuzzTarget): Headers {
  if (credential === 'none') return {};
  if (credential === 'garbage') return { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.', 'x-api-key': 'ak_nope' };
  if (credential === 'badBasic') return { authorization: `Basic ${Buffer.from('%zz:%E0%A4%A').toString('base64')}` };
  return target.credentials[credential] ?? {};
}

/** fetch refuses header values outside latin-1 and with CR, LF or NUL: keep what a raw client could still send. */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e\x80-\xff]/g, '').trim();
}

export async function fuzzApi(
  target: FuzzTarget,
  options: { requests: number; seed: number; onProgress?: (done: number) => void },
): Promise<FuzzReport> {
  const { operations, components } = await loadOperations(target.baseUrl);
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
