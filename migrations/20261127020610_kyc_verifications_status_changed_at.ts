import type { Knex } from 'knex';

/**
 * When an identity check entered its current status. The review queue reports how long an organization's person's
 * check in MANUAL_REVIEW has waited on staff, and no column said when it got there (decided_at is set on a final
 * decision only; a check may wait on its provider long after it was opened). Existing rows take their decision
 * time, or their creation time while undecided. Written by activities/kyc.ts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('kyc_verifications', (t) => {
    t.timestamp('status_changed_at', { useTz: true });
  });
  await knex('kyc_verifications').update({ status_changed_at: knex.raw('coalesce(decided_at, created_at)') });
  await knex.raw('alter table kyc_verifications alter column status_changed_at set not null, alter column status_changed_at set default now()');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('kyc_verifications', (t) => {
    t.dropColumn('status_changed_at');
  });
}
