/**
 * What one fuzz request is, how fast-check generates it from an operation's schemas, and how it becomes a fetch.
 */
import fc from 'fast-check';
import { fuzzed, HOSTILE_STRINGS, hostileValue, nested, valid, type Components, type JsonSchema } from './arbitraries';
import type { FuzzTarget, Headers, Operation } from './openapi-fuzz';

export interface FuzzRequest {
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

export function requestArbitrary(ops: Operation[], components: Components, samples: FuzzTarget['samples'] = {}): fc.Arbitrary<FuzzRequest> {
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
        { weight: 1, arbitrary: fc.constantFrom<FuzzRequest['credential']>('none', 'garbage', 'badBasic', 'otherTenant', 'wrongTenant', 'tenant', 'platformAdmin', 'staffSession', 'apiKey') },
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

export function toHttp(req: FuzzRequest, target: FuzzTarget): { url: string; init: RequestInit; describe: string } {
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
