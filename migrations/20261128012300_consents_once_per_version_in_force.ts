import type { Knex } from 'knex';

/**
 * A version of a policy is accepted at most once while in force, rather than once ever: a customer who withdrew a
 * consent may accept the same version again, which adds a row beside the withdrawn one (kept as the record).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('consents', (t) => {
    t.dropUnique(['customer_id', 'type', 'version'], 'consents_once_per_version');
  });
  await knex.raw('create unique index consents_once_per_version_in_force on consents (customer_id, type, version) where withdrawn_at is null');
}

/** Back to once ever: of a version accepted more than once, only the latest row survives. */
export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index consents_once_per_version_in_force');
  await knex.raw(
    `delete from consents c using consents newer
      where newer.customer_id = c.customer_id and newer.type = c.type and newer.version = c.version and newer.id > c.id`,
  );
  await knex.schema.alterTable('consents', (t) => {
    t.unique(['customer_id', 'type', 'version'], { indexName: 'consents_once_per_version' });
  });
}
