import type { Knex } from 'knex';

/**
 * One row per KYB check of an organization (a `customers` row of type ORGANIZATION), owned by its
 * businessVerification workflow. `registry_findings` holds what the company registry answered about the company
 * (registered name, registration status, how many officers it lists): company data only, never officers' names.
 * `reviewer` is who staff say decided; `decided_by` the credential the decision came with.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('kyb_verifications', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable();
    t.text('customer_id').notNullable();
    t.text('provider').notNullable();
    t.text('check_id');
    t.text('status')
      .notNullable()
      .checkIn(['IN_PROGRESS', 'MANUAL_REVIEW', 'APPROVED', 'REJECTED'], 'kyb_verifications_status_check');
    t.text('reason');
    t.text('reviewer');
    t.text('decided_by');
    t.timestamp('decided_at', { useTz: true });
    t.jsonb('registry_findings');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.foreign(['tenant_id', 'customer_id'], 'kyb_verifications_tenant_customer_foreign')
      .references(['tenant_id', 'id'])
      .inTable('customers')
      .onDelete('CASCADE');
    t.unique(['provider', 'check_id'], { indexName: 'kyb_verifications_check_unique' });
    t.index(['tenant_id', 'customer_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('kyb_verifications');
}
