/**
 * A customer's category after registration: the tenant assigns one explicitly (PUT /v2/customer/{id}/category),
 * hands the customer back to its rules (category null), or a profile change re-applies the rules
 * (`recategorize`, which leaves an explicit category alone). The `category*` columns of `customers` are this
 * module's after registration; the checks in migrations/20261128010000_customers_category.ts keep them coherent.
 */
import type { Knex } from '../../common/db';
import type { CustomerType } from '../../common/statuses';
import { NotFoundError, ValidationError } from '../http/errors';
import { z } from '../http/openapi';
import type { TenantSettingsService } from '../tenancy/tenant-settings';
import { CATEGORY_SOURCES, categorize, isDefinedCategory, type CategoryFacts, type CategorySource } from './categories';

export const customerCategory = z
  .object({
    customer_id: z.string(),
    category: z.string().nullable(),
    category_source: z.enum(CATEGORY_SOURCES).nullable().openapi({ description: "RULE: the tenant's rules gave it (re-applied on profile changes); EXPLICIT: assigned, kept until reassigned" }),
    category_assigned_at: z.iso.datetime().nullable(),
  })
  .openapi('CustomerCategory');

export type CustomerCategory = z.output<typeof customerCategory>;

interface CategoryRow {
  id: string;
  category: string | null;
  category_source: CategorySource | null;
  category_assigned_at: Date | null;
}

const COLUMNS = ['id', 'category', 'category_source', 'category_assigned_at'] as const;

const view = (row: CategoryRow): CustomerCategory => ({
  customer_id: row.id,
  category: row.category,
  category_source: row.category_source,
  category_assigned_at: row.category_assigned_at?.toISOString() ?? null,
});

export function createCategoryAssignment({ db, tenantSettings }: { db: Knex; tenantSettings: Pick<TenantSettingsService, 'get'> }) {
  /** What the rules look at, as stored: residence (or incorporation) and the v2 monthly volume. */
  async function factsOf(tenantId: string, customerId: string): Promise<CategoryFacts & { source: CategorySource | null }> {
    const row = await db('customers as c')
      .leftJoin('customer_profiles as p', function profile() {
        this.on('p.tenant_id', 'c.tenant_id').andOn('p.customer_id', 'c.id');
      })
      .leftJoin('organization_profiles as o', function organization() {
        this.on('o.tenant_id', 'c.tenant_id').andOn('o.customer_id', 'c.id');
      })
      .where({ 'c.tenant_id': tenantId, 'c.id': customerId })
      .first<{ type: CustomerType; category_source: CategorySource | null; country: string | null; volume: string | null } | undefined>(
        'c.type',
        'c.category_source',
        db.raw('coalesce(p.country_of_residence, o.country_of_incorporation) as country'),
        db.raw("p.details #>> '{financial_profile,monthly_volume_usd}' as volume"),
      );
    if (!row) throw new NotFoundError('Customer not found');
    return {
      customerType: row.type,
      country: row.country ?? undefined,
      monthlyVolumeUsd: row.volume === null ? undefined : Number(row.volume),
      source: row.category_source,
    };
  }

  /**
   * Sets what the rules give now (keeping when it was first given, if unchanged). An explicit category is left
   * alone unless `replaceExplicit`; the condition is in the statement, so a concurrent explicit assignment wins.
   */
  async function applyRules(tenantId: string, customerId: string, facts: CategoryFacts, replaceExplicit: boolean): Promise<void> {
    const category = categorize((await tenantSettings.get(tenantId)).categories, facts);
    const target = db('customers').where({ tenant_id: tenantId, id: customerId });
    if (!replaceExplicit) target.where((q) => q.whereNull('category_source').orWhere('category_source', 'RULE'));
    await target.update(
        category === null
          ? { category: null, category_source: null, category_assigned_at: null }
          : { category, category_source: 'RULE', category_assigned_at: db.raw("case when category = ? and category_source = 'RULE' then category_assigned_at else now() end", [category]) },
      );
  }

  async function current(tenantId: string, customerId: string): Promise<CustomerCategory> {
    const row = await db('customers').where({ tenant_id: tenantId, id: customerId }).first<CategoryRow | undefined>(COLUMNS);
    if (!row) throw new NotFoundError('Customer not found');
    return view(row);
  }

  return {
    /** `category` one of the tenant's codes: assigned explicitly; null: back to the rules, applied now. */
    async assign(tenantId: string, customerId: string, category: string | null): Promise<CustomerCategory> {
      const facts = await factsOf(tenantId, customerId);
      if (category === null) {
        await applyRules(tenantId, customerId, facts, true);
        return current(tenantId, customerId);
      }
      if (!isDefinedCategory((await tenantSettings.get(tenantId)).categories, category)) {
        throw new ValidationError([{ field: 'category', message: "Not one of the tenant's categories" }]);
      }
      const [row] = await db('customers')
        .where({ tenant_id: tenantId, id: customerId })
        .update({ category, category_source: 'EXPLICIT', category_assigned_at: db.fn.now() }, COLUMNS);
      return view(row as CategoryRow);
    },

    /**
     * Re-applies the tenant's rules to the customer as stored now, unless its category was assigned explicitly:
     * for a change that may move it (a new residence, a new monthly volume). Another tenant's customer: 404.
     */
    async recategorize(tenantId: string, customerId: string): Promise<CustomerCategory> {
      const facts = await factsOf(tenantId, customerId);
      if (facts.source !== 'EXPLICIT') await applyRules(tenantId, customerId, facts, false);
      return current(tenantId, customerId);
    },
  };
}

export type CategoryAssignment = ReturnType<typeof createCategoryAssignment>;
