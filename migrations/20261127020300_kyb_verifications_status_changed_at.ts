import type { Knex } from 'knex';

/**
 * When a KYB check entered its current status. The review queue reports how long a check in MANUAL_REVIEW has
 * waited on staff, and no column said when it got there (decided_at is set on a final decision only). Existing
 * rows take their decision time, or their creation time while undecided. Written by activities/kyb.ts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('kyb_verifications', (t) => {
    t.timestamp('status_changed_at', { useTz: true });
  });
  await knex('kyb_verifications').update({ status_changed_at: knex.raw('coalesce(decided_at, created_at)') });
  await knex.raw('alter table kyb_verifications alter column status_changed_at set not null, alter column status_changed_at set default now()');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('kyb_verifications', (t) => {
    t.dropColumn('status_changed_at');
  });
}
