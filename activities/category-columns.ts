import type { Knex } from '../common/db';

/**
 * The category columns of a customer row registered with the category the tenant's rules gave it (computed at
 * the API from the body and the tenant's settings, api/profiles/categories.ts); none when there was none.
 */
export function categoryColumns(category: string | undefined, db: Knex) {
  return category === undefined ? {} : { category, category_source: 'RULE', category_assigned_at: db.fn.now() };
}
