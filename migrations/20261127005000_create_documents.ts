import type { Knex } from 'knex';

/**
 * Documents a tenant uploads for one of its customers (an individual or an organization), optionally about one of
 * the organization's people or companies (`party_id`). The bytes live in the document store under `storage_key`
 * (tenant and document ids only, never a name); the row holds what was detected and computed on the way in.
 * Staff decisions are on the row and, one row each, in `document_status_history` (who decided what, when, why).
 *
 * `party_id` has no foreign key yet: `organization_parties` is created by another migration. Its name and the
 * tenant column let a later migration add `(tenant_id, party_id) → organization_parties (tenant_id, id)`.
 * Customers with documents cannot be deleted (RESTRICT): erasing a customer must remove the stored bytes too,
 * which a cascade in the database cannot do.
 */
// The lists are frozen here as they were when the table was made: a later change to the code's lists comes with
// a migration that changes the checks, never silently.
const TYPES = [
  'CERTIFICATE_OF_INCORPORATION', 'ARTICLES_OF_ASSOCIATION', 'SHAREHOLDER_REGISTER', 'REGISTER_OF_DIRECTORS',
  'PROOF_OF_BUSINESS_ADDRESS', 'FINANCIAL_STATEMENTS', 'PASSPORT', 'ID_CARD', 'DRIVING_LICENCE', 'RESIDENCE_PERMIT',
  'PROOF_OF_ADDRESS', 'SELFIE', 'BANK_STATEMENT', 'POWER_OF_ATTORNEY', 'OTHER',
];
const STATUSES = ['UPLOADED', 'ACCEPTED', 'REJECTED', 'REUPLOAD_REQUESTED'];
const CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('documents', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable();
    t.text('customer_id').notNullable();
    t.text('party_id');
    t.text('type').notNullable().checkIn(TYPES, 'documents_type_check');
    t.text('file_name').notNullable();
    t.text('content_type').notNullable().checkIn(CONTENT_TYPES, 'documents_content_type_check');
    t.integer('size_bytes').notNullable().checkPositive('documents_size_positive');
    t.text('sha256').notNullable().checkRegex('^[0-9a-f]{64}$', 'documents_sha256_hex');
    t.text('storage_key').notNullable().unique({ indexName: 'documents_storage_key_unique' });
    t.text('status').notNullable().defaultTo('UPLOADED').checkIn(STATUSES, 'documents_status_check');
    t.text('review_reason');
    t.text('reviewer');
    t.timestamp('reviewed_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.foreign(['tenant_id', 'customer_id'], 'documents_tenant_customer_foreign').references(['tenant_id', 'id']).inTable('customers').onDelete('RESTRICT');
    t.unique(['tenant_id', 'id'], { indexName: 'documents_tenant_id_id_unique' });
    t.index(['tenant_id', 'customer_id', 'created_at'], 'documents_customer_index');
  });
  // A decision names who made it and when; a refusal or a request for a new file also says why.
  await knex.raw(`ALTER TABLE documents ADD CONSTRAINT documents_review_recorded CHECK (
    status = 'UPLOADED' OR (reviewer IS NOT NULL AND reviewed_at IS NOT NULL))`);
  await knex.raw(`ALTER TABLE documents ADD CONSTRAINT documents_reason_required CHECK (
    status NOT IN ('REJECTED', 'REUPLOAD_REQUESTED') OR review_reason IS NOT NULL)`);

  await knex.schema.createTable('document_status_history', (t) => {
    t.bigIncrements('id');
    t.text('tenant_id').notNullable();
    t.text('document_id').notNullable();
    t.text('status').notNullable().checkIn(STATUSES, 'document_status_history_status_check');
    t.text('reason');
    /** The credential that acted: the tenant's OAuth client for an upload, the staff principal for a decision. */
    t.text('actor').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.foreign(['tenant_id', 'document_id'], 'document_status_history_document_foreign').references(['tenant_id', 'id']).inTable('documents').onDelete('CASCADE');
    t.index(['tenant_id', 'document_id', 'at'], 'document_status_history_document_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('document_status_history');
  await knex.schema.dropTable('documents');
}
