/**
 * A tenant's OAuth clients (client-credentials grant). Secrets are 256-bit random values, so a SHA-256 digest is
 * enough to store them safely (a slow password hash buys nothing against that entropy and would slow every token
 * call). Each client carries a secret version that its access tokens name: rotating the secret bumps it and
 * revoking the client ends it, and the tenant guard refuses tokens of an older version or a revoked client at once.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Knex } from '../../common/db';
import { ConflictError, NotFoundError } from '../http/errors';

export interface OAuthClientView {
  clientId: string;
  label: string;
  createdAt: string;
  /** When the secret was last replaced; null while it is the one the client was created with. */
  secretRotatedAt: string | null;
  /** When the client was revoked; a revoked client obtains no token and its tokens are refused. */
  revokedAt: string | null;
}

interface ClientRow {
  client_id: string;
  label: string;
  created_at: Date;
  secret_rotated_at: Date | null;
  revoked_at: Date | null;
}

const VIEW_COLUMNS = ['client_id', 'label', 'created_at', 'secret_rotated_at', 'revoked_at'] as const;
const FOREIGN_KEY_VIOLATION = '23503';

const digest = (secret: string) => createHash('sha256').update(secret).digest('base64url');

export const newClientId = () => `cli_${randomBytes(12).toString('hex')}`;

export function newClientSecret(): string {
  return `cs_${randomBytes(32).toString('base64url')}`;
}

/** Stores a new client of a tenant (inside the caller's transaction when creating the tenant with it). */
export async function insertClient(db: Knex, tenantId: string, client: { clientId: string; clientSecret: string; label: string }) {
  await db('oauth_clients').insert({ client_id: client.clientId, tenant_id: tenantId, secret_hash: digest(client.clientSecret), label: client.label });
}

const view = (row: ClientRow): OAuthClientView => ({
  clientId: row.client_id,
  label: row.label,
  createdAt: row.created_at.toISOString(),
  secretRotatedAt: row.secret_rotated_at?.toISOString() ?? null,
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

const clientNotFound = () => new NotFoundError('OAuth client not found');

export function createOAuthClientService(db: Knex) {
  return {
    /** The tenant a live client acts for and its current secret version, or undefined when the id or secret is wrong. */
    async authenticate(clientId: string, clientSecret: string): Promise<{ tenantId: string; secretVersion: number } | undefined> {
      const client = await db('oauth_clients')
        .where({ client_id: clientId })
        .whereNull('revoked_at')
        .first<{ tenant_id: string; secret_hash: string; secret_version: number } | undefined>('tenant_id', 'secret_hash', 'secret_version');
      const given = Buffer.from(digest(clientSecret));
      const stored = Buffer.from(client?.secret_hash ?? digest('no such client'));
      const matches = given.length === stored.length && timingSafeEqual(given, stored);
      return client && matches ? { tenantId: client.tenant_id, secretVersion: client.secret_version } : undefined;
    },

    /** Every client of the tenant, revoked ones too, oldest first. */
    async list(tenantId: string): Promise<OAuthClientView[]> {
      const rows = await db('oauth_clients').where({ tenant_id: tenantId }).orderBy([{ column: 'created_at' }, { column: 'client_id' }]).select<ClientRow[]>(VIEW_COLUMNS);
      if (rows.length === 0 && !(await db('tenants').where({ id: tenantId }).first('id'))) throw new NotFoundError('Tenant not found');
      return rows.map(view);
    },

    /** A further client for the tenant; its secret is in the answer only. */
    async create(tenantId: string, label: string): Promise<OAuthClientView & { clientSecret: string }> {
      const client = { clientId: newClientId(), clientSecret: newClientSecret(), label };
      try {
        await insertClient(db, tenantId, client);
      } catch (error) {
        // The foreign key settles whether the tenant exists, in the same statement that stores the client.
        if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) throw new NotFoundError('Tenant not found');
        throw error;
      }
      const row = await db('oauth_clients').where({ tenant_id: tenantId, client_id: client.clientId }).first<ClientRow>(VIEW_COLUMNS);
      return { ...view(row), clientSecret: client.clientSecret };
    },

    /**
     * A new secret for a live client. The old secret obtains no token from now on, and the tokens issued under it
     * are refused at their next request (the secret version moves on).
     */
    async rotate(tenantId: string, clientId: string): Promise<OAuthClientView & { clientSecret: string }> {
      const clientSecret = newClientSecret();
      const [row] = await db('oauth_clients')
        .where({ tenant_id: tenantId, client_id: clientId })
        .whereNull('revoked_at')
        .update({ secret_hash: digest(clientSecret), secret_version: db.raw('secret_version + 1'), secret_rotated_at: db.fn.now() })
        .returning<ClientRow[]>(VIEW_COLUMNS);
      if (row) return { ...view(row), clientSecret };
      if (await db('oauth_clients').where({ tenant_id: tenantId, client_id: clientId }).first('client_id')) {
        throw new ConflictError('The OAuth client is revoked; create a new client instead');
      }
      throw clientNotFound();
    },

    /** Revokes the client: no more tokens, and those it holds are refused at once. Revoking twice keeps the first time. */
    async revoke(tenantId: string, clientId: string): Promise<OAuthClientView> {
      await db('oauth_clients').where({ tenant_id: tenantId, client_id: clientId }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
      const row = await db('oauth_clients').where({ tenant_id: tenantId, client_id: clientId }).first<ClientRow | undefined>(VIEW_COLUMNS);
      if (!row) throw clientNotFound();
      return view(row);
    },
  };
}

export type OAuthClientService = ReturnType<typeof createOAuthClientService>;
