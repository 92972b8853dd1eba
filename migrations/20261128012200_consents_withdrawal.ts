import type { Knex } from 'knex';

/**
 * A consent can be withdrawn and its row is kept: when, by whom (api/auth/actor.ts `actorLabel`), and the reason
 * given. The three are set together or not at all.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('consents', (t) => {
    t.timestamp('withdrawn_at', { useTz: true });
    t.text('withdrawn_by');
    t.text('withdrawal_reason');
  });
  await knex.raw(
    `alter table consents add constraint consents_withdrawal_check
       check ((withdrawn_at is null) = (withdrawn_by is null) and (withdrawal_reason is null or withdrawn_at is not null))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table consents drop constraint consents_withdrawal_check');
  await knex.schema.alterTable('consents', (t) => {
    t.dropColumns('withdrawn_at', 'withdrawn_by', 'withdrawal_reason');
  });
}
