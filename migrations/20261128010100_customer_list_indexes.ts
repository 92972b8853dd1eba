import type { Knex } from 'knex';

/**
 * GET /v2/customer/profiles pages a tenant's customers newest first by keyset on (created_at, id). Each filter gets
 * an index that leads with the tenant and the filtered column and ends with the keyset, so a page is an index range
 * read in order (no filter, a created range, one status, one type, one category); the e-mail prefix search reads a
 * range of lower(email) (text_pattern_ops, so LIKE 'prefix%' can use it whatever the database's collation).
 */
const INDEXES = [
  'create index customers_tenant_created_idx on customers (tenant_id, created_at, id)',
  'create index customers_tenant_status_created_idx on customers (tenant_id, status, created_at, id)',
  'create index customers_tenant_type_created_idx on customers (tenant_id, type, created_at, id)',
  'create index customers_tenant_category_created_idx on customers (tenant_id, category, created_at, id) where category is not null',
  'create index customers_tenant_email_prefix_idx on customers (tenant_id, lower(email) text_pattern_ops)',
];

export async function up(knex: Knex): Promise<void> {
  for (const statement of INDEXES) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  for (const name of ['customers_tenant_email_prefix_idx', 'customers_tenant_category_created_idx', 'customers_tenant_type_created_idx', 'customers_tenant_status_created_idx', 'customers_tenant_created_idx']) {
    await knex.raw(`drop index ${name}`);
  }
}
