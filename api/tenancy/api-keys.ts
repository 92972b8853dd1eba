/**
 * Tenant API keys, the credential of the v1 routes (X-API-Key). A key is a 256-bit random value shown once at
 * issue; only its SHA-256 digest is stored, since a slow hash buys nothing against that entropy (see tenants.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from '../../common/db';
import { ConflictError, NotFoundError } from '../http/errors';
import { requestTenantFromRow, TENANT_REQUEST_COLUMNS, type RequestTenant, type RequestTenantRow } from './access';

export interface IssuedApiKey {
  keyId: string;
  /** The key itself; only its digest is kept, so this is the one time anyone sees it. */
  apiKey: string;
  /** Enough of the key to tell keys apart in a list, far too little to guess the rest. */
  prefix: string;
}

export interface ApiKeyView {
  keyId: string;
  label: string;
  prefix: string;
  createdAt: string;
  /** When the key was last replaced by rotation; null while it is the key first issued. */
  rotatedAt: string | null;
  revokedAt: string | null;
}

interface ApiKeyRow {
  id: string;
  label: string;
  prefix: string;
  created_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
}

const VIEW_COLUMNS = ['id', 'label', 'prefix', 'created_at', 'rotated_at', 'revoked_at'];
const view = (row: ApiKeyRow): ApiKeyView => ({
  keyId: row.id,
  label: row.label,
  prefix: row.prefix,
  createdAt: row.created_at.toISOString(),
  rotatedAt: row.rotated_at?.toISOString() ?? null,
  revokedAt: row.revoked_at?.toISOString() ?? null,
});
const keyNotFound = () => new NotFoundError('API key not found');

const PREFIX_LENGTH = 'ak_'.length + 8;
const FOREIGN_KEY_VIOLATION = '23503';

const digest = (apiKey: string) => createHash('sha256').update(apiKey).digest('base64url');

export function newApiKey(): string {
  return `ak_${randomBytes(32).toString('base64url')}`;
}

export function createApiKeyService(db: Knex) {
  return {
    async issue(tenantId: string, label: string): Promise<IssuedApiKey> {
      const apiKey = newApiKey();
      const issued = { keyId: `key_${randomBytes(12).toString('hex')}`, apiKey, prefix: apiKey.slice(0, PREFIX_LENGTH) };
      try {
        await db('api_keys').insert({ id: issued.keyId, tenant_id: tenantId, key_hash: digest(apiKey), prefix: issued.prefix, label });
      } catch (error) {
        // The foreign key settles whether the tenant exists, in the same statement that stores the key.
        if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) throw new NotFoundError('Tenant not found');
        throw error;
      }
      return issued;
    },

    /** Every key of the tenant, revoked ones too, oldest first; never the key itself (only its digest is kept). */
    async list(tenantId: string): Promise<ApiKeyView[]> {
      const rows = await db('api_keys').where({ tenant_id: tenantId }).orderBy([{ column: 'created_at' }, { column: 'id' }]).select<ApiKeyRow[]>(VIEW_COLUMNS);
      if (rows.length === 0 && !(await db('tenants').where({ id: tenantId }).first('id'))) throw new NotFoundError('Tenant not found');
      return rows.map(view);
    },

    /** A new key under the same id and label; the old key is refused from this moment. */
    async rotate(tenantId: string, keyId: string): Promise<ApiKeyView & { apiKey: string }> {
      const apiKey = newApiKey();
      const [row] = await db('api_keys')
        .where({ tenant_id: tenantId, id: keyId })
        .whereNull('revoked_at')
        .update({ key_hash: digest(apiKey), prefix: apiKey.slice(0, PREFIX_LENGTH), rotated_at: db.fn.now() })
        .returning<ApiKeyRow[]>(VIEW_COLUMNS);
      if (row) return { ...view(row), apiKey };
      if (await db('api_keys').where({ tenant_id: tenantId, id: keyId }).first('id')) throw new ConflictError('The API key is revoked; issue a new key instead');
      throw keyNotFound();
    },

    /** Revokes the key: the next request with it is refused. Revoking twice keeps the first time. */
    async revoke(tenantId: string, keyId: string): Promise<ApiKeyView> {
      await db('api_keys').where({ tenant_id: tenantId, id: keyId }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
      const row = await db('api_keys').where({ tenant_id: tenantId, id: keyId }).first<ApiKeyRow | undefined>(VIEW_COLUMNS);
      if (!row) throw keyNotFound();
      return view(row);
    },

    /**
     * The live key's id and tenant, with the tenant's row (access, settings, name) read in the same query, or undefined. The lookup is by digest, so no timing-safe compare is
     * needed: how long the index search takes can only reveal something about the SHA-256 of the caller's own
     * guess, never about a stored key.
     */
    async authenticate(apiKey: string): Promise<{ keyId: string; tenantId: string; tenant: RequestTenant } | undefined> {
      const row = await db('api_keys as k')
        .join('tenants as t', 't.id', 'k.tenant_id')
        .where({ 'k.key_hash': digest(apiKey) })
        .whereNull('k.revoked_at')
        .first<(RequestTenantRow & { key_id: string }) | undefined>('k.id as key_id', ...TENANT_REQUEST_COLUMNS);
      return row && { keyId: row.key_id, tenantId: row.id, tenant: requestTenantFromRow(row) };
    },
  };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;
