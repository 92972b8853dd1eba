/**
 * What a tenant may use: capability codes and rate limit from its tier (or, for CUSTOM, from the platform admin's
 * settings), and its countries of operation. Read once per request, from the tenants row, so a tier change or a
 * new country list applies to the next request. For an OAuth access token that one read also checks the token's
 * client is still live at the token's secret version, so a revoked client or a rotated secret ends the tokens
 * already issued without a second query on the hot path.
 */
import type { Request } from 'express';
import type { Knex } from '../../common/db';
import { CUSTOM_DEFAULTS, TIER_CAPABILITIES, TIER_RATE_LIMITS, type Capability, type TenantAccess } from '../../common/access';
import type { TenantTier } from '../../common/statuses';
import { NotFoundError } from '../http/errors';

export interface TenantAccessRow {
  id: string;
  tier: TenantTier;
  custom_capabilities: Capability[] | null;
  custom_rate_limit_per_minute: number | null;
  countries: string[] | null;
}

export function accessFromRow(row: TenantAccessRow): TenantAccess {
  const custom = row.tier === 'CUSTOM';
  return {
    tenantId: row.id,
    tier: row.tier,
    capabilities: custom ? (row.custom_capabilities ?? CUSTOM_DEFAULTS.capabilities) : TIER_CAPABILITIES[row.tier as Exclude<TenantTier, 'CUSTOM'>],
    ratePerMinute: custom
      ? (row.custom_rate_limit_per_minute ?? CUSTOM_DEFAULTS.ratePerMinute)
      : TIER_RATE_LIMITS[row.tier as Exclude<TenantTier, 'CUSTOM'>],
    ...(row.countries ? { countries: row.countries } : {}),
  };
}

const loaded = new WeakMap<Request, Promise<TenantAccess>>();
const ACCESS_COLUMNS = ['id', 'tier', 'custom_capabilities', 'custom_rate_limit_per_minute', 'countries'] as const;

/** The tenants columns a credential's lookup selects (as `t`) to resolve the tenant's access in the same query. */
export const TENANT_ACCESS_COLUMNS = ACCESS_COLUMNS.map((column) => `t.${column}`);

/** The OAuth client and secret version an access token was issued for. */
export interface TokenClient {
  clientId: string;
  secretVersion: number;
}

export function createTenantAccessService(db: Knex) {
  const get = async (tenantId: string): Promise<TenantAccess> => {
    const row = await db('tenants')
      .where({ id: tenantId })
      .first<TenantAccessRow | undefined>(...ACCESS_COLUMNS);
    if (!row) throw new NotFoundError('No such tenant');
    return accessFromRow(row);
  };
  return {
    get,
    /**
     * The tenant's access, when `client` is a live client of that tenant at the token's secret version; undefined
     * when the client was revoked, its secret rotated since, or the tenant is gone. Remembered for the request, so
     * the checks after the guard read no more.
     */
    async forTokenClient(req: Request, tenantId: string, client: TokenClient): Promise<TenantAccess | undefined> {
      const row = await db('tenants as t')
        .join('oauth_clients as c', 'c.tenant_id', 't.id')
        .where({ 't.id': tenantId, 'c.client_id': client.clientId, 'c.secret_version': client.secretVersion })
        .whereNull('c.revoked_at')
        .first<TenantAccessRow | undefined>(TENANT_ACCESS_COLUMNS);
      if (!row) return undefined;
      const access = accessFromRow(row);
      loaded.set(req, Promise.resolve(access));
      return access;
    },
    /** Keeps the access a guard resolved with its credential (the API-key lookup), so no check reads it again. */
    remember(req: Request, access: TenantAccess): void {
      loaded.set(req, Promise.resolve(access));
    },
    /** The access of the tenant a guarded request acts for, read once per request however many checks ask. */
    forRequest(req: Request, tenantId: string): Promise<TenantAccess> {
      let access = loaded.get(req);
      if (!access) loaded.set(req, (access = get(tenantId)));
      return access;
    },
  };
}

export type TenantAccessService = ReturnType<typeof createTenantAccessService>;
