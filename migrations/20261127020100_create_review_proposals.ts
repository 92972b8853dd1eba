import type { Knex } from 'knex';

/**
 * A first reviewer's decision held for a second one (four-eyes, by tenant setting), or a case escalated to a second
 * reviewer. At most one open proposal per case; a resolved one stays as evidence (who confirmed or declined it,
 * when). Written by api/review/proposals.ts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('review_proposals', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    t.text('case_type').notNullable();
    t.text('subject_id').notNullable();
    t.text('decision_kind').notNullable();
    t.text('kind').notNullable();
    /** The decision proposed (APPROVE, REJECT, ACCEPTED, …); null for an escalation that proposes none. */
    t.text('decision');
    t.text('reason').notNullable();
    t.text('proposed_by_staff_id').notNullable().references('id').inTable('staff_accounts').onDelete('RESTRICT');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('resolved_at', { useTz: true });
    t.text('resolved_by_staff_id').references('id').inTable('staff_accounts').onDelete('RESTRICT');
    /** CONFIRMED (the second reviewer decided the same), DECLINED (sent back), or DECIDED (an escalation settled). */
    t.text('outcome');
    t.text('resolution_reason');
    t.index(['tenant_id', 'case_type', 'subject_id'], 'review_proposals_case_idx');
  });
  await knex.raw(`create unique index review_proposals_open_unique on review_proposals (case_type, subject_id) where resolved_at is null`);
  await knex.raw(`alter table review_proposals add constraint review_proposals_kind_check check (kind in ('FOUR_EYES','ESCALATION'))`);
  await knex.raw(`alter table review_proposals add constraint review_proposals_case_type_check check (case_type in ('INDIVIDUAL','ORGANIZATION','DOCUMENT'))`);
  await knex.raw(`alter table review_proposals add constraint review_proposals_outcome_check check (
    (resolved_at is null and outcome is null and resolved_by_staff_id is null)
    or (resolved_at is not null and outcome in ('CONFIRMED','DECLINED','DECIDED')))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('review_proposals');
}
