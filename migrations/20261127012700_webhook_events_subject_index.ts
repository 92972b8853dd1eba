import type { Knex } from 'knex';

/**
 * A customer's latest event of a type, found without scanning the tenant's whole outbox: the requirements writer
 * (activities/customer-events.ts) compares with the last customer.requirements_changed before recording another.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhook_events', (t) => {
    t.index(['tenant_id', 'subject_id', 'type', 'seq'], 'webhook_events_subject_type_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhook_events', (t) => {
    t.dropIndex(['tenant_id', 'subject_id', 'type', 'seq'], 'webhook_events_subject_type_idx');
  });
}
