import type { Knex } from 'knex';

/**
 * Who is working a back-office case. One row per case: a claim holds until `expires_at`; after that any reviewer
 * may take it over (the row is overwritten, the audit trail keeps who held it). Written by api/review/claims.ts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('review_claims', (t) => {
    t.text('case_type').notNullable();
    t.text('subject_id').notNullable();
    t.text('tenant_id').notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    t.text('staff_id').notNullable().references('id').inTable('staff_accounts').onDelete('CASCADE');
    t.timestamp('claimed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.primary(['case_type', 'subject_id']);
    t.index(['tenant_id'], 'review_claims_tenant_idx');
  });
  await knex.raw(`alter table review_claims add constraint review_claims_case_type_check check (case_type in ('INDIVIDUAL','ORGANIZATION','DOCUMENT'))`);
  await knex.raw(`alter table review_claims add constraint review_claims_expiry_check check (expires_at > claimed_at)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('review_claims');
}
