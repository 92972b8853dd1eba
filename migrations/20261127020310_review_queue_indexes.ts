import type { Knex } from 'knex';

/**
 * The review queue reads, across every tenant, the few rows waiting on staff: customers in MANUAL_REVIEW, KYB
 * checks in MANUAL_REVIEW and documents still UPLOADED. Without these partial indexes each read scans the whole
 * table (the existing indexes lead with tenant_id, or do not name the status); with them it reads only the waiting
 * rows, which stay few however large the tables grow.
 */
const INDEXES = [
  `create index customers_in_manual_review_idx on customers (tenant_id, id) where status = 'MANUAL_REVIEW'`,
  `create index kyb_verifications_in_manual_review_idx on kyb_verifications (tenant_id, customer_id, status_changed_at) where status = 'MANUAL_REVIEW'`,
  `create index documents_awaiting_review_idx on documents (created_at, id) where status = 'UPLOADED'`,
];

export async function up(knex: Knex): Promise<void> {
  for (const statement of INDEXES) await knex.raw(statement);
}

export async function down(knex: Knex): Promise<void> {
  for (const name of ['documents_awaiting_review_idx', 'kyb_verifications_in_manual_review_idx', 'customers_in_manual_review_idx']) await knex.raw(`drop index ${name}`);
}
