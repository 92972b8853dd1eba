import type { Knex } from 'knex';

/**
 * The people and companies around an organization: its representative (the person who registered it), directors,
 * employees and shareholders (and the companies that own its shareholder companies). One row per person or company, whatever roles it has, so a director who is
 * also a UBO is one subject to verify. Within an organization a live person is known by e-mail and a live company
 * by registration number and country. Removal sets removed_at: the row stays as history, and a party removed
 * after a check ran still explains that check.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organization_parties', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable();
    t.text('organization_id').notNullable();
    t.text('kind').notNullable().checkIn(['PERSON', 'COMPANY'], 'organization_parties_kind_check');
    t.boolean('is_representative').notNullable().defaultTo(false);
    t.boolean('is_director').notNullable().defaultTo(false);
    t.boolean('is_employee').notNullable().defaultTo(false);
    t.boolean('is_shareholder').notNullable().defaultTo(false);
    // A person's fields.
    t.text('first_name');
    t.text('last_name');
    t.text('email');
    t.date('date_of_birth');
    t.text('nationality');
    t.text('country_of_residence');
    t.text('job_title');
    // A company's fields.
    t.text('legal_name');
    t.text('registration_number');
    t.text('country_of_incorporation');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('removed_at', { useTz: true });
    t.foreign(['tenant_id', 'organization_id'], 'organization_parties_tenant_organization_foreign')
      .references(['tenant_id', 'id'])
      .inTable('customers')
      .onDelete('CASCADE');
    // Lets ownership rows name a party together with its tenant and organization.
    t.unique(['tenant_id', 'organization_id', 'id'], { indexName: 'organization_parties_scoped_id_unique' });
    t.index(['tenant_id', 'organization_id']);
  });
  await knex.raw(`ALTER TABLE organization_parties ADD CONSTRAINT organization_parties_fields_check CHECK (
    (kind = 'PERSON' AND first_name IS NOT NULL AND last_name IS NOT NULL AND email IS NOT NULL AND legal_name IS NULL)
    OR (kind = 'COMPANY' AND legal_name IS NOT NULL AND registration_number IS NOT NULL AND country_of_incorporation IS NOT NULL
        AND first_name IS NULL AND email IS NULL))`);
  // A company can hold shares; only a person can represent the organization, direct it or work for it.
  await knex.raw(`ALTER TABLE organization_parties ADD CONSTRAINT organization_parties_company_roles_check
    CHECK (kind = 'PERSON' OR NOT (is_representative OR is_director OR is_employee))`);
  // A live party has a role; losing its last role removes it.
  await knex.raw(`ALTER TABLE organization_parties ADD CONSTRAINT organization_parties_has_role_check
    CHECK (removed_at IS NOT NULL OR is_representative OR is_director OR is_employee OR is_shareholder)`);
  await knex.raw(`CREATE UNIQUE INDEX organization_parties_person_email_unique ON organization_parties
    (tenant_id, organization_id, lower(email)) WHERE kind = 'PERSON' AND removed_at IS NULL`);
  await knex.raw(`CREATE UNIQUE INDEX organization_parties_company_registration_unique ON organization_parties
    (tenant_id, organization_id, country_of_incorporation, lower(registration_number)) WHERE kind = 'COMPANY' AND removed_at IS NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('organization_parties');
}
