import type { Knex } from 'knex';

/**
 * The review queue reads, across every tenant, the identity checks of organizations' persons waiting in
 * MANUAL_REVIEW. kyc_verifications' indexes lead with tenant_id or do not name the status: without this partial
 * index each queue read would scan every check ever run; with it, only the few waiting ones.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `create index kyc_verifications_persons_in_review_idx on kyc_verifications (tenant_id, customer_id, subject_id) where status = 'MANUAL_REVIEW' and subject_type = 'PARTY'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index kyc_verifications_persons_in_review_idx');
}
