import type { Knex } from 'knex';

/**
 * A KYC verification may be about someone other than the onboarding customer (a director, a shareholder …) and
 * be run by that subject's own identity-verification workflow. Rows without these columns are the individual's
 * own check, run by its onboarding workflow: callbacks and staff decisions for them go where they always went.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('kyc_verifications', (t) => {
    t.text('subject_type').checkIn(['CUSTOMER', 'PARTY'], 'kyc_verifications_subject_type_check');
    t.text('subject_id');
    t.text('workflow_id');
  });
  // Either all three are set (a child's check) or none (the individual's own).
  await knex.raw(`ALTER TABLE kyc_verifications ADD CONSTRAINT kyc_verifications_subject_complete
    CHECK ((subject_type IS NULL) = (subject_id IS NULL) AND (subject_id IS NULL) = (workflow_id IS NULL))`);
  await knex.schema.alterTable('kyc_verifications', (t) => {
    t.index(['tenant_id', 'customer_id', 'subject_id'], 'kyc_verifications_subject_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('kyc_verifications', (t) => {
    t.dropIndex(['tenant_id', 'customer_id', 'subject_id'], 'kyc_verifications_subject_index');
    t.dropChecks(['kyc_verifications_subject_complete', 'kyc_verifications_subject_type_check']);
    t.dropColumns('subject_type', 'subject_id', 'workflow_id');
  });
}
