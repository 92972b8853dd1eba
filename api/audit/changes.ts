/**
 * What an audit row says changed, with personal data left out by construction: the NAMES of the body's fields
 * (nested ones as `address.country`, array items as `persons[].role`), and VALUES only under keys that carry
 * enumerations (status, decision, tier, roles …) and only when the value has an enumeration's shape
 * (UPPER_SNAKE, or a list of such). Names, e-mails, documents, passwords, codes and free text never qualify.
 */
import type { AuditChanges } from './chain';

/** Keys whose enumeration values are worth keeping: they say what a decision or setting became. */
const ENUMERATION_KEYS = new Set([
  'status',
  'decision',
  'tier',
  'role',
  'roles',
  'capability',
  'capabilities',
  'customCapabilities',
  'customerType',
  'documentType',
  'type',
  'countries',
]);
const ENUMERATION_VALUE = /^[A-Z][A-Z0-9_]{0,49}$/;
const MAX_FIELDS = 100;
const MAX_DEPTH = 4;

export function changesOf(body: unknown): AuditChanges {
  const fields = new Set<string>();
  const values: Record<string, string | string[]> = {};
  collect(body, '', 0, fields, values);
  return { fields: [...fields].sort().slice(0, MAX_FIELDS), values };
}

function collect(value: unknown, prefix: string, depth: number, fields: Set<string>, values: Record<string, string | string[]>): void {
  if (depth > MAX_DEPTH || fields.size >= MAX_FIELDS) return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, `${prefix}[]`, depth + 1, fields, values);
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    // A key is a name the client chose: only names shaped like field names are recorded.
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(key)) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    fields.add(path);
    const enumeration = ENUMERATION_KEYS.has(key) ? enumerationValue(child) : undefined;
    if (enumeration !== undefined) values[path] = enumeration;
    else collect(child, path, depth + 1, fields, values);
  }
}

function enumerationValue(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return ENUMERATION_VALUE.test(value) ? value : undefined;
  if (Array.isArray(value) && value.length <= 20 && value.every((v) => typeof v === 'string' && ENUMERATION_VALUE.test(v))) {
    return [...(value as string[])];
  }
  return undefined;
}
