/**
 * fast-check arbitraries for HTTP fuzzing: values that follow an OpenAPI (JSON Schema) description, values that
 * break it, and hostile strings an attacker or a broken client sends (bad percent-escapes, `%2F`, lone surrogates,
 * control characters, huge numbers, deep nesting).
 */
import fc from 'fast-check';

export type JsonSchema = Record<string, any>;
export type Components = Record<string, JsonSchema>;

/** Strings that have broken parsers, routers and databases before. */
export const HOSTILE_STRINGS = [
  '', ' ', '%', '%zz', '%2F', '%2f..%2f', '..%2F..%2F', '%00', '%E0%A4%A', '%C0%AF', '%E2%80%AE', '%%', '%u0000',
  '../', './', '/', '\\', '\u0000', '\u001b[31m', '\r\n', '\uD800', '\uDFFF', '\u202E', '\uFEFF', '𝕏', 'ö', '中文',
  'null', 'undefined', 'true', 'NaN', 'Infinity', '-Infinity', '-1', '0', '1e308', '9'.repeat(400), '0x10', '1.5',
  '__proto__', 'constructor', 'prototype', "' OR '1'='1", '"; DROP TABLE customers; --', '{"$ne":null}', '<script>',
  '${jndi:ldap://x}', 'cust_', 'cust_../../x', 'tnt_%2F', 'a'.repeat(5000),
];

/** Things that are not strings where a string belongs (and strings where a number belongs). */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(null, true, false, 0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -(2 ** 63), 0.1),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom({}, [], [[]], { __proto__: { admin: true } }, { constructor: { prototype: {} } }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.nat({ max: 60 }).map((depth) => nested(depth)),
);

export function nested(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** Values that satisfy `schema` as far as a schema can say (refinements in code may still refuse them). */
export function valid(schema: JsonSchema | undefined, components: Components, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  if (!s || depth > 6) return fc.jsonValue({ maxDepth: 1 });
  if (s.const !== undefined) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (Array.isArray(alternatives)) return fc.oneof(...alternatives.map((alt: JsonSchema) => valid(alt, components, depth + 1)));
  if (Array.isArray(s.allOf)) return valid(Object.assign({}, ...s.allOf.map((p: JsonSchema) => resolve(p, components))), components, depth);
  if (Array.isArray(s.type)) return fc.oneof(...s.type.map((type: string) => valid({ ...s, type }, components, depth)));
  switch (s.type) {
    case 'string':
      return validString(s);
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(valid(s.items, components, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 4, 4) });
    case 'object':
      return validObject(s, components, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function validString(s: JsonSchema): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<string>[] = [];
  if (typeof s.example === 'string') options.push(fc.constant(s.example));
  if (s.format === 'email') options.push(fc.emailAddress());
  if (s.format === 'date') options.push(fc.date({ min: new Date('1900-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
  if (s.format === 'date-time') options.push(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
  if (s.format === 'uri') options.push(fc.webUrl());
  if (typeof s.pattern === 'string') {
    try {
      options.push(fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? 200)));
    } catch {
      // A pattern JavaScript cannot compile: fall back to plain strings.
    }
  }
  options.push(fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 40) }));
  return fc.oneof(...options);
}

function validObject(s: JsonSchema, components: Components, depth: number): fc.Arbitrary<unknown> {
  const properties: Record<string, JsonSchema> = s.properties ?? {};
  const keys = Object.keys(properties);
  if (keys.length === 0) return fc.constant({});
  const record = Object.fromEntries(keys.map((key) => [key, valid(properties[key], components, depth + 1)]));
  return fc.record(record, { requiredKeys: (s.required ?? []).filter((k: string) => keys.includes(k)) });
}

/** A value that follows the schema, one that breaks it in one place, or something else entirely. */
export function fuzzed(schema: JsonSchema | undefined, components: Components): fc.Arbitrary<unknown> {
  const good = valid(schema, components);
  return fc.oneof(
    { weight: 3, arbitrary: good },
    { weight: 4, arbitrary: fc.tuple(good, fc.string({ maxLength: 12 }), hostileValue, fc.nat()).map(([value, key, bad, pick]) => mutate(value, key, bad, pick)) },
    { weight: 2, arbitrary: hostileValue },
  );
}

/** Replaces, removes or adds one field at some depth, or replaces the whole value. */
function mutate(value: unknown, newKey: string, bad: unknown, pick: number): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return bad;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const mode = pick % 4;
  if (keys.length === 0 || mode === 0) copy[newKey || 'extra'] = bad;
  else {
    const key = keys[pick % keys.length];
    if (mode === 1) delete copy[key];
    else if (mode === 2) copy[key] = bad;
    else copy[key] = mutate(copy[key], newKey, bad, Math.floor(pick / 4));
  }
  return copy;
}

export function resolve(schema: JsonSchema | undefined, components: Components): JsonSchema | undefined {
  let s = schema;
  for (let i = 0; s?.$ref && i < 10; i++) s = components[String(s.$ref).replace('#/components/schemas/', '')];
  return s;
}
