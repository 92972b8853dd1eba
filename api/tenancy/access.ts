/**
 * What a tenant may use: capability codes and rate limit from its tier (or, for CUSTOM, from the platform admin's
 * settings), and its countries of operation; with them its onboarding settings and display name. Read once per
 * request, from the tenants row, so a tier change, a new country list or a settings change applies to the next
 * request; nothing is kept across requests (API replicas share no memory). For an OAuth access token that one
 * read also checks the token's client is still live at the token's secret version, so a revoked client or a
 * rotated secret ends the tokens already issued without a second query on the hot path.
 */
import type { Request } from 'express';
import type { Knex } from '../../common/db';
import { CUSTOM_DEFAULTS, TIER_CAPABILITIES, TIER_RATE_LIMITS, type Capability, type TenantAccess } from '../../common/access';
import type { TenantTier } from '../../common/statuses';
import { NotFoundError } from '../http/errors';
import type { TenantSettings } from './tenant-settings';

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

/** The tenants row as a request reads it: what the tenant may use, its settings and its name. */
export interface RequestTenantRow extends TenantAccessRow {
  name: string;
  settings: TenantSettings;
}

/** The tenant a guarded request acts for, as read once for that request (the guard's credential lookup). */
export interface RequestTenant {
  access: TenantAccess;
  /** tenants.settings, as TenantSettingsService.get returns them. */
  settings: TenantSettings;
  /** The display name, for the labels staff read on workflows. */
  name: string;
}

export function requestTenantFromRow(row: RequestTenantRow): RequestTenant {
  return { access: accessFromRow(row), settings: row.settings, name: row.name };
}

const loaded = new WeakMap<Request, Promise<RequestTenant>>();
const ACCESS_COLUMNS = ['id', 'tier', 'custom_capabilities', 'custom_rate_limit_per_minute', 'countries'] as const;
const REQUEST_COLUMNS = [...ACCESS_COLUMNS, 'name', 'settings'] as const;

/** The tenants columns a credential's lookup selects (as `t`) to resolve the request's tenant in the same query. */
export const TENANT_REQUEST_COLUMNS = REQUEST_COLUMNS.map((column) => `t.${column}`);

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
  const read = async (tenantId: string): Promise<RequestTenant> => {
    const row = await db('tenants')
      .where({ id: tenantId })
      .first<RequestTenantRow | undefined>(...REQUEST_COLUMNS);
    if (!row) throw new NotFoundError('No such tenant');
    return requestTenantFromRow(row);
  };
  /** The request's tenant, read once per request however many checks and handlers ask. */
  const tenantForRequest = (req: Request, tenantId: string): Promise<RequestTenant> => {
    let tenant = loaded.get(req);
    if (!tenant) loaded.set(req, (tenant = read(tenantId)));
    return tenant;
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
        .first<RequestTenantRow | undefined>(TENANT_REQUEST_COLUMNS);
      if (!row) return undefined;
      const tenant = requestTenantFromRow(row);
      loaded.set(req, Promise.resolve(tenant));
      return tenant.access;
    },
    /** Keeps the tenant a guard resolved with its credential (the API-key lookup), so nothing reads it again. */
    remember(req: Request, tenant: RequestTenant): void {
      loaded.set(req, Promise.resolve(tenant));
    },
    /** The access of the tenant a guarded request acts for, read once per request however many checks ask. */
    async forRequest(req: Request, tenantId: string): Promise<TenantAccess> {
      return (await tenantForRequest(req, tenantId)).access;
    },
    /**
     * The tenant a guarded request acts for, with its settings and name: the row its guard read. Handlers use it
     * instead of reading the tenants row again; callers without a request use TenantSettingsService.get.
     */
    tenantForRequest,
  };
}

export type TenantAccessService = ReturnType<typeof createTenantAccessService>;
