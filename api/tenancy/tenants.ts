/**
 * Tenants and their OAuth clients. Client secrets are 256-bit random values, so a SHA-256 digest is enough to
 * store them safely (a slow password hash buys nothing against that entropy and would slow every token call).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Knex } from '../../common/db';
import type { TenantTier } from '../../common/statuses';

export interface NewTenant {
  tenantId: string;
  name: string;
  tier: TenantTier;
  clientId: string;
  clientSecret: string;
}

const digest = (secret: string) => createHash('sha256').update(secret).digest('base64url');
const randomId = (prefix: string, bytes = 12) => `${prefix}_${randomBytes(bytes).toString('hex')}`;

export function newClientSecret(): string {
  return `cs_${randomBytes(32).toString('base64url')}`;
}

export function createTenantService(db: Knex) {
  return {
    async create(name: string, tier: TenantTier, ids: Partial<Pick<NewTenant, 'tenantId' | 'clientId' | 'clientSecret'>> = {}): Promise<NewTenant> {
      const tenant: NewTenant = {
        tenantId: ids.tenantId ?? randomId('tnt'),
        name,
        tier,
        clientId: ids.clientId ?? randomId('cli'),
        clientSecret: ids.clientSecret ?? newClientSecret(),
      };
      await db.transaction(async (trx) => {
        await trx('tenants').insert({ id: tenant.tenantId, name, tier });
        await trx('oauth_clients').insert({
          client_id: tenant.clientId,
          tenant_id: tenant.tenantId,
          secret_hash: digest(tenant.clientSecret),
          label: 'default',
        });
      });
      return tenant;
    },

    async exists(tenantId: string): Promise<boolean> {
      return (await db('tenants').where({ id: tenantId }).first('id')) !== undefined;
    },

    /** The tenant a live client acts for, or undefined when the id or secret is wrong. */
    async authenticateClient(clientId: string, clientSecret: string): Promise<string | undefined> {
      const client = await db('oauth_clients')
        .where({ client_id: clientId })
        .whereNull('revoked_at')
        .first<{ tenant_id: string; secret_hash: string } | undefined>('tenant_id', 'secret_hash');
      const given = Buffer.from(digest(clientSecret));
      const stored = Buffer.from(client?.secret_hash ?? digest('no such client'));
      const matches = given.length === stored.length && timingSafeEqual(given, stored);
      return client && matches ? client.tenant_id : undefined;
    },
  };
}

export type TenantService = ReturnType<typeof createTenantService>;
