import type { Knex } from 'knex';

/**
 * A tenant's webhook endpoints. The signing secret is stored sealed (field encryption), never in plain text; during a
 * rotation the previous secret also signs until `previous_secret_expires_at`, so receivers can switch without a gap.
 * A disabled subscription records why: the tenant turned it off, the receiver answered 410 Gone, or it kept failing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_subscriptions', (t) => {
    t.text('id').primary();
    t.text('tenant_id').notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    t.text('url').notNullable();
    t.specificType('event_types', 'text[]').notNullable();
    t.text('description');
    t.boolean('enabled').notNullable().defaultTo(true);
    t.text('disabled_reason');
    t.timestamp('disabled_at', { useTz: true });
    t.text('alert_email');
    t.text('secret_sealed').notNullable();
    t.text('previous_secret_sealed');
    t.timestamp('previous_secret_expires_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'id']);
    t.index(['tenant_id', 'enabled'], 'webhook_subscriptions_tenant_enabled_idx');
  });
  await knex.raw(`alter table webhook_subscriptions add constraint webhook_subscriptions_disabled_check
    check ((enabled and disabled_reason is null) or (not enabled and disabled_reason in ('TENANT', 'GONE', 'FAILING')))`);
  await knex.raw(`alter table webhook_subscriptions add constraint webhook_subscriptions_event_types_check
    check (cardinality(event_types) > 0)`);
  await knex.raw(`alter table webhook_subscriptions add constraint webhook_subscriptions_previous_secret_check
    check ((previous_secret_sealed is null) = (previous_secret_expires_at is null))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhook_subscriptions');
}
