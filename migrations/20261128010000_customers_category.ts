import type { Knex } from 'knex';

/**
 * A customer's category (seed 002 "categorization"): a code from the tenant's settings, who decided it (the
 * tenant's rules, or an explicit assignment that the rules then leave alone) and when. The checks keep the three
 * columns coherent whatever writes them: a category has a source, an explicit one names a category.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (t) => {
    t.text('category');
    t.text('category_source');
    t.timestamp('category_assigned_at', { useTz: true });
  });
  await knex.raw(`ALTER TABLE customers
    ADD CONSTRAINT customers_category_code_check CHECK (category ~ '^[A-Z][A-Z0-9_]{1,31}$'),
    ADD CONSTRAINT customers_category_source_check CHECK (category_source IN ('RULE', 'EXPLICIT')),
    ADD CONSTRAINT customers_category_sourced_check CHECK (category IS NULL OR (category_source IS NOT NULL AND category_assigned_at IS NOT NULL)),
    ADD CONSTRAINT customers_category_explicit_check CHECK (category_source IS DISTINCT FROM 'EXPLICIT' OR category IS NOT NULL)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (t) => {
    t.dropColumn('category_assigned_at');
    t.dropColumn('category_source');
    t.dropColumn('category');
  });
}
