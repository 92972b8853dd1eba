import type { Knex } from 'knex';

/**
 * A back-office case may be a PERSON: an organization's director, UBO or representative whose own identity check
 * waits in MANUAL_REVIEW (subject id: the verification id). Claims and proposals take the new case type.
 * Down restores the narrower check for rows written from then on (NOT VALID): a PERSON claim or proposal already
 * recorded stays as the evidence it is rather than being deleted by a rollback.
 */
const TABLES = ['review_claims', 'review_proposals'] as const;

const recheck = async (knex: Knex, types: string[], validate: boolean) => {
  for (const table of TABLES) {
    const list = types.map((type) => `'${type}'`).join(',');
    await knex.raw(`alter table ${table} drop constraint ${table}_case_type_check`);
    await knex.raw(`alter table ${table} add constraint ${table}_case_type_check check (case_type in (${list}))${validate ? '' : ' not valid'}`);
  }
};

export async function up(knex: Knex): Promise<void> {
  await recheck(knex, ['INDIVIDUAL', 'ORGANIZATION', 'DOCUMENT', 'PERSON'], true);
}

export async function down(knex: Knex): Promise<void> {
  await recheck(knex, ['INDIVIDUAL', 'ORGANIZATION', 'DOCUMENT'], false);
}
