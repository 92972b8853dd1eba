import type { Knex } from 'knex';

/**
 * A customer's preferences once they set any: language (a canonical BCP 47 tag), marketing by channel, and the
 * channels notifications go out on. No row means the documented defaults. Written by api/preferences/store.ts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_preferences', (t) => {
    t.text('tenant_id').notNullable();
    t.text('customer_id').notNullable();
    t.text('language').notNullable();
    t.boolean('marketing_email').notNullable();
    t.boolean('marketing_sms').notNullable();
    t.boolean('marketing_phone').notNullable();
    t.specificType('notification_channels', 'text[]').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'customer_id']);
    t.foreign(['tenant_id', 'customer_id'], 'customer_preferences_tenant_customer_foreign')
      .references(['tenant_id', 'id'])
      .inTable('customers')
      .onDelete('CASCADE');
  });
  await knex.raw(`alter table customer_preferences add constraint customer_preferences_language_check check (length(language) between 2 and 35)`);
  // Non-empty, known channels only; uniqueness is the service's (an array check cannot say it simply).
  await knex.raw(
    `alter table customer_preferences add constraint customer_preferences_channels_check
       check (cardinality(notification_channels) > 0 and notification_channels <@ array['EMAIL','SMS','PUSH']::text[])`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customer_preferences');
}
