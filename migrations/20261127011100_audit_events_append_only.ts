import type { Knex } from 'knex';

/**
 * The audit trail is append-only in the database itself: UPDATE, DELETE and TRUNCATE are refused by triggers
 * (which bind the table's owner too, unlike revoked grants) and revoked from PUBLIC. Changing a row takes a
 * superuser or the owner disabling the trigger on purpose; the hash chain then names the row (`npm run audit:verify`).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function audit_events_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end
    $$`);
  await knex.raw(`create trigger audit_events_append_only before update or delete on audit_events
    for each row execute function audit_events_refuse_change()`);
  await knex.raw(`create trigger audit_events_no_truncate before truncate on audit_events
    for each statement execute function audit_events_refuse_change()`);
  await knex.raw('revoke update, delete, truncate on audit_events from public');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger audit_events_no_truncate on audit_events');
  await knex.raw('drop trigger audit_events_append_only on audit_events');
  await knex.raw('drop function audit_events_refuse_change()');
}
