/**
 * Tenants: creation with their first OAuth client, and what the platform admin reads and changes of them (tier,
 * custom capabilities and rate limit, countries of operation). What a tier grants is in common/access.ts; the
 * guard reads it per request (api/tenancy/access.ts), so a change here applies to the tenant's next request.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from '../../common/db';
import type { Capability } from '../../common/access';
import type { TenantTier } from '../../common/statuses';
import { NotFoundError, ValidationError } from '../http/errors';
import { accessFromRow } from './access';
import { insertClient, newClientId, newClientSecret } from './oauth-clients';

export { newClientSecret };

export interface NewTenant {
  tenantId: string;
  name: string;
  tier: TenantTier;
  clientId: string;
  clientSecret: string;
}

export interface TenantView {
  tenantId: string;
  name: string;
  tier: TenantTier;
  /** What the tenant holds now: its tier's set, or for CUSTOM the configured one (Starter's until configured). */
  capabilities: Capability[];
  ratePerMinute: number;
  /** Set by the platform admin for a CUSTOM tenant only; null elsewhere and until configured. */
  customCapabilities: Capability[] | null;
  customRatePerMinute: number | null;
  /** ISO 3166-1 alpha-2 countries of operation (SCT03); null: not restricted. */
  countries: string[] | null;
  createdAt: string;
}

/** A change of a tenant's access. Custom capabilities and limit apply to a CUSTOM tenant only; null resets them. */
export interface TenantAccessChange {
  tier?: TenantTier;
  customCapabilities?: Capability[] | null;
  customRatePerMinute?: number | null;
  countries?: string[] | null;
}

interface TenantRow {
  id: string;
  name: string;
  tier: TenantTier;
  custom_capabilities: Capability[] | null;
  custom_rate_limit_per_minute: number | null;
  countries: string[] | null;
  created_at: Date;
}

const COLUMNS = ['id', 'name', 'tier', 'custom_capabilities', 'custom_rate_limit_per_minute', 'countries', 'created_at'];
const randomId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const tenantNotFound = () => new NotFoundError('Tenant not found');

function view(row: TenantRow): TenantView {
  const access = accessFromRow(row);
  return {
    tenantId: row.id,
    name: row.name,
    tier: row.tier,
    capabilities: [...access.capabilities],
    ratePerMinute: access.ratePerMinute,
    customCapabilities: row.custom_capabilities,
    customRatePerMinute: row.custom_rate_limit_per_minute,
    countries: row.countries,
    createdAt: row.created_at.toISOString(),
  };
}

/** Custom settings on a fixed tier would be read by nothing: refuse them rather than store them. */
function refuseCustomOnFixedTier(tier: TenantTier, change: TenantAccessChange): void {
  if (tier === 'CUSTOM') return;
  const fields = (['customCapabilities', 'customRatePerMinute'] as const).filter((field) => change[field] !== undefined && change[field] !== null);
  if (fields.length === 0) return;
  throw new ValidationError(
    fields.map((field) => ({ field, message: `Only a CUSTOM tenant has custom settings; this tenant's tier would be ${tier}` })),
    'Custom capabilities and rate limit apply to CUSTOM tenants only',
  );
}

export function createTenantService(db: Knex) {
  return {
    async create(name: string, tier: TenantTier, ids: Partial<Pick<NewTenant, 'tenantId' | 'clientId' | 'clientSecret'>> = {}): Promise<NewTenant> {
      const tenant: NewTenant = {
        tenantId: ids.tenantId ?? randomId('tnt'),
        name,
        tier,
        clientId: ids.clientId ?? newClientId(),
        clientSecret: ids.clientSecret ?? newClientSecret(),
      };
      await db.transaction(async (trx) => {
        await trx('tenants').insert({ id: tenant.tenantId, name, tier });
        await insertClient(trx, tenant.tenantId, { clientId: tenant.clientId, clientSecret: tenant.clientSecret, label: 'default' });
      });
      return tenant;
    },

    async exists(tenantId: string): Promise<boolean> {
      return (await db('tenants').where({ id: tenantId }).first('id')) !== undefined;
    },

    /** A page of tenants, oldest first, and how many there are. */
    async list({ page, pageSize }: { page: number; pageSize: number }): Promise<{ tenants: TenantView[]; total: number }> {
      const [rows, [{ count }]] = await Promise.all([
        db('tenants').orderBy([{ column: 'created_at' }, { column: 'id' }]).limit(pageSize).offset((page - 1) * pageSize).select<TenantRow[]>(COLUMNS),
        db('tenants').count<{ count: string }[]>({ count: '*' }),
      ]);
      return { tenants: rows.map(view), total: Number(count) };
    },

    async get(tenantId: string): Promise<TenantView> {
      const row = await db('tenants').where({ id: tenantId }).first<TenantRow | undefined>(COLUMNS);
      if (!row) throw tenantNotFound();
      return view(row);
    },

    /**
     * Changes the tier, the custom settings or the countries in one statement under a row lock. Leaving CUSTOM
     * clears the custom settings (the database refuses them on a fixed tier too).
     */
    async changeAccess(tenantId: string, change: TenantAccessChange): Promise<TenantView> {
      return db.transaction(async (trx) => {
        const current = await trx('tenants').where({ id: tenantId }).forUpdate().first<{ tier: TenantTier } | undefined>('tier');
        if (!current) throw tenantNotFound();
        const tier = change.tier ?? current.tier;
        refuseCustomOnFixedTier(tier, change);
        const custom = tier === 'CUSTOM';
        const [row] = await trx('tenants')
          .where({ id: tenantId })
          .update({
            tier,
            ...(!custom ? { custom_capabilities: null, custom_rate_limit_per_minute: null } : {}),
            ...(custom && change.customCapabilities !== undefined ? { custom_capabilities: change.customCapabilities } : {}),
            ...(custom && change.customRatePerMinute !== undefined ? { custom_rate_limit_per_minute: change.customRatePerMinute } : {}),
            ...(change.countries !== undefined ? { countries: change.countries } : {}),
          })
          .returning<TenantRow[]>(COLUMNS);
        return view(row);
      });
    },
  };
}

export type TenantService = ReturnType<typeof createTenantService>;
