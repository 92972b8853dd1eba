/** What the benchmark scripts share: strict flag parsing, loopback-only targets, the demo tenant's token and a staff session. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { devStaffHeaders } from './dev-staff';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export interface Flags {
  has(name: string): boolean;
  text(name: string, fallback: string): string;
  optional(name: string): string | undefined;
  number(name: string, fallback: number, min: number, integer?: boolean): number;
  /** A base URL that must point at this machine: benchmarks load only servers running here. */
  loopbackUrl(name: string, fallback: string): string;
}

/** Flags that take no value. */
const BOOLEAN_FLAGS = new Set(['--json', '--verbose']);

/** `--name value`, `--name=value` and the booleans `--json` and `--verbose`; anything unknown stops the script. */
export function parseFlags(argv: string[], known: string[]): Flags {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split(/=(.*)/s, 2);
    if (!name.startsWith('--')) throw new Error(`Unexpected argument: ${argv[i]}`);
    if (BOOLEAN_FLAGS.has(name)) flags.set(name, 'true');
    else if (inline !== undefined) flags.set(name, inline);
    else if (i + 1 < argv.length) flags.set(name, argv[++i]);
    else throw new Error(`${name} needs a value`);
  }
  const unknown = [...flags.keys()].filter((name) => !known.includes(name) && !BOOLEAN_FLAGS.has(name));
  if (unknown.length) throw new Error(`Unknown option(s): ${unknown.join(', ')}. Known: ${known.join(' ')}`);
  return {
    has: (name) => flags.has(name),
    text: (name, fallback) => flags.get(name) ?? fallback,
    optional: (name) => flags.get(name),
    number(name, fallback, min, integer = false) {
      const value = Number(flags.get(name) ?? fallback);
      if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
        throw new Error(`${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}`);
      }
      return value;
    },
    loopbackUrl(name, fallback) {
      const url = (flags.get(name) ?? fallback).replace(/\/+$/, '');
      if (!LOOPBACK.has(new URL(url).hostname)) throw new Error(`Refusing a non-loopback ${name}: ${url}`);
      return url;
    },
  };
}

export const DEFAULT_DATA_DIR = join(__dirname, '..', '.data');

export interface TenantCredentials {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
}

/** Headers of a tenant's API call: given credentials, else the demo tenant `npm start` keeps in DATA_DIR. */
export async function tenantHeaders(
  apiUrl: string,
  dataDir: string,
  given: TenantCredentials = {},
  signal?: AbortSignal,
): Promise<Record<string, string>> {
  const complete = given.tenantId && given.clientId && given.clientSecret;
  const demo: TenantCredentials = complete ? {} : JSON.parse(readFileSync(join(dataDir, 'demo-tenant.json'), 'utf8'));
  const tenantId = given.tenantId ?? demo.tenantId;
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: given.clientId ?? demo.clientId ?? '',
    client_secret: given.clientSecret ?? demo.clientSecret ?? '',
  });
  const response = await fetch(`${apiUrl}/api/v2.1/oauth/token`, { method: 'POST', body: form, signal });
  const body = (await response.json()) as { access_token?: string };
  if (!response.ok || !body.access_token || !tenantId) throw new Error(`Token request failed: ${response.status} ${JSON.stringify(body)}`);
  return { authorization: `Bearer ${body.access_token}`, 'x-tenant-id': tenantId, 'content-type': 'application/json' };
}

/**
 * A staff session's headers (staff decisions), from the dev staff account (scripts/dev-staff.ts) of the `npm start`
 * whose DATA_DIR this is; the platform token (given, else the one kept in DATA_DIR) bootstraps it the first time.
 */
export async function adminHeaders(apiUrl: string, dataDir: string, given?: string): Promise<Record<string, string>> {
  const token = given ?? (JSON.parse(readFileSync(join(dataDir, 'dev-secrets.json'), 'utf8')) as { platformAdminToken?: string }).platformAdminToken;
  if (!token) throw new Error(`No platform admin token: pass --admin-token or run against the npm start whose DATA_DIR is ${dataDir}`);
  return { ...(await devStaffHeaders(apiUrl, dataDir, token)), 'content-type': 'application/json' };
}
