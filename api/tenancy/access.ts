/**
 * What a tenant may use: capability codes and rate limit from its tier (or, for CUSTOM, from the platform admin's
 * settings), and its countries of operation. Read once per request, from the tenants row, so a tier change or a
 * new country list applies to the next request.
 */
import type { Request } from 'express';
import type { Knex } from '../../common/db';
import { CUSTOM_DEFAULTS, TIER_CAPABILITIES, TIER_RATE_LIMITS, type Capability, type TenantAccess } from '../../common/access';
import type { TenantTier } from '../../common/statuses';
import { NotFoundError } from '../http/errors';

interface TenantAccessRow {
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

export function createTenantAccessService(db: Knex) {
  const get = async (tenantId: string): Promise<TenantAccess> => {
    const row = await db('tenants')
      .where({ id: tenantId })
      .first<TenantAccessRow | undefined>('id', 'tier', 'custom_capabilities', 'custom_rate_limit_per_minute', 'countries');
    if (!row) throw new NotFoundError('No such tenant');
    return accessFromRow(row);
  };
  return {
    get,
    /** The access of the tenant a guarded request acts for, read once per request however many checks ask. */
    forRequest(req: Request, tenantId: string): Promise<TenantAccess> {
      let access = loaded.get(req);
      if (!access) loaded.set(req, (access = get(tenantId)));
      return access;
    },
  };
}

export type TenantAccessService = ReturnType<typeof createTenantAccessService>;
