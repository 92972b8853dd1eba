/**
 * The contact-change workflow's I/O. The code is made and hashed here and exists only in the message (never in a
 * workflow history); the edge checks it (api/contact-changes/service.ts). Applying swaps the contact in
 * `customers` in one transaction with the profile history row, re-checking that no other customer of the tenant
 * took the e-mail address meanwhile (then the change fails and nothing changes).
 */
import { createHmac } from 'node:crypto';
import type { ContactChangeStatus, ContactChannel } from '../common/contact-change-contract';
import type { CustomerType } from '../common/statuses';
import type { Knex } from '../common/db';
import { recordEvents } from '../api/webhooks/emit';
import type { WebhookWake } from '../api/webhooks/outbox';
import { contactDetails } from './contact-details';
import { messageIdFor } from './email-verification';
import type { Mailer } from './mailer';
import { recordProfileChange, setContactInDetails } from './profile';
import { sendOnce } from './send-once';
import type { SmsSender } from './sms';
import { contactChangeCodeEmail, contactChangeCodeSms, contactChangedEmail, contactChangedSms, maskContact } from './templates/contact-change';
import { generateCode } from './verification-codes';

export function contactChangeCodeHash(key: Buffer, changeId: string, code: string): string {
  return createHmac('sha256', key).update(`${changeId}:CONTACT_CHANGE:${code}`).digest('base64url');
}

export interface ContactChangeTarget {
  tenantId: string;
  customerId: string;
  changeId: string;
}

interface ChangeRow {
  channel: ContactChannel;
  new_value: string;
  old_value: string | null;
  status: ContactChangeStatus;
  actor: string;
  expires_at: Date;
  verified_at: Date | null;
}

const COLUMN = { EMAIL: 'email', PHONE: 'phone' } as const;

export function createContactChangeActivities({ db, mailer, sms, codeHashKey, webhookWake }: { db: Knex; mailer: Mailer; sms: SmsSender; codeHashKey: Buffer; webhookWake: WebhookWake }) {
  const change = (conn: Knex, { tenantId, customerId, changeId }: ContactChangeTarget) =>
    conn('contact_changes').where({ tenant_id: tenantId, customer_id: customerId, id: changeId });

  return {
    /** Once per change: a code to the NEW contact. A change no longer pending (replaced, cancelled) gets none. */
    async sendContactChangeCode(target: ContactChangeTarget & { idempotencyKey: string }) {
      const row = await change(db, target).first<ChangeRow | undefined>();
      if (!row || row.status !== 'PENDING_VERIFICATION') return { sent: false };
      const customer = await contactDetails(db, target.tenantId, target.customerId);
      const minutes = Math.max(1, Math.round((row.expires_at.getTime() - Date.now()) / 60_000));
      const table = row.channel === 'EMAIL' ? 'outbound_emails' : 'outbound_sms';
      const { tenantId, customerId, idempotencyKey } = target;
      await sendOnce(db, table, { tenantId, customerId, idempotencyKey, template: 'contact-change-code' }, async () => {
        const code = generateCode();
        await change(db, target).update({ code_hash: contactChangeCodeHash(codeHashKey, target.changeId, code), updated_at: db.fn.now() });
        if (row.channel === 'EMAIL') {
          const content = contactChangeCodeEmail({ firstName: customer.first_name, code, expiresInMinutes: minutes });
          await mailer.send({ to: row.new_value, messageId: messageIdFor(tenantId, idempotencyKey), ...content });
        } else {
          await sms.send({ tenantId, to: row.new_value, text: contactChangeCodeSms(code, minutes) });
        }
      });
      return { sent: true };
    },

    /** The swap, once the edge took the code: COMPLETED, or FAILED (the address was taken, the customer not active). */
    async applyContactChange(target: ContactChangeTarget): Promise<ContactChangeStatus> {
      const { tenantId, customerId } = target;
      const fail = async () => {
        await change(db, target).where({ status: 'PENDING_VERIFICATION' }).update({ status: 'FAILED', updated_at: db.fn.now() });
        return 'FAILED' as const;
      };
      try {
        const applied = await db.transaction(async (trx): Promise<{ status: ContactChangeStatus; subscriptionIds: string[] }> => {
          const ended = (status: ContactChangeStatus) => ({ status, subscriptionIds: [] });
          const row = await change(trx, target).forUpdate().first<ChangeRow | undefined>();
          // A retried activity finds its change COMPLETED: nothing is written, no second event.
          if (!row || row.status !== 'PENDING_VERIFICATION') return ended(row?.status ?? 'FAILED');
          // Nothing changes unless the code came: the edge marks the change verified before it reports it.
          if (!row.verified_at) return ended('FAILED');
          const customer = await trx('customers')
            .where({ tenant_id: tenantId, id: customerId })
            .forUpdate()
            .first<{ status: string; type: CustomerType; email: string; phone: string | null }>();
          if (customer.status !== 'ACTIVE') return ended('FAILED');
          if (row.channel === 'EMAIL' && (await emailTaken(trx, tenantId, customerId, row.new_value))) return ended('FAILED');
          const column = COLUMN[row.channel];
          await trx('customers').where({ tenant_id: tenantId, id: customerId }).update({ [column]: row.new_value, updated_at: trx.fn.now() });
          await setContactInDetails(trx, tenantId, customerId, column, row.new_value);
          await recordProfileChange(trx, { tenantId, customerId, fields: [`basic_info.${column}`], source: 'CONTACT_CHANGE', actor: row.actor });
          await change(trx, target).update({ status: 'COMPLETED', old_value: customer[column], updated_at: trx.fn.now() });
          // With the swap, in its transaction: the channel only, never the old or new value.
          const subscriptionIds = await recordEvents(trx, [
            { tenantId, type: 'customer.contact_changed', subjectId: customerId, data: { customerId, customerType: customer.type, channel: row.channel } },
          ]);
          return { status: 'COMPLETED', subscriptionIds };
        });
        if (applied.status === 'FAILED') return fail();
        await webhookWake(tenantId, applied.subscriptionIds);
        return applied.status;
      } catch (error) {
        // Two customers confirming the same new address at once: the unique index lets one through.
        if ((error as { code?: string }).code === '23505') return fail();
        throw error;
      }
    },

    /** Once: the OLD contact hears of the change (masked new value); a customer who had no phone hears by e-mail. */
    async notifyContactChanged(target: ContactChangeTarget & { idempotencyKey: string }) {
      const row = await change(db, target).first<ChangeRow>();
      const customer = await contactDetails(db, target.tenantId, target.customerId);
      const masked = maskContact(row.channel, row.new_value);
      const { tenantId, customerId, idempotencyKey } = target;
      const bySms = row.channel === 'PHONE' && row.old_value !== null;
      await sendOnce(db, bySms ? 'outbound_sms' : 'outbound_emails', { tenantId, customerId, idempotencyKey, template: 'contact-changed' }, async () => {
        if (bySms) return sms.send({ tenantId, to: row.old_value!, text: contactChangedSms(masked) });
        const to = row.channel === 'EMAIL' ? row.old_value! : customer.email;
        await mailer.send({ to, messageId: messageIdFor(tenantId, idempotencyKey), ...contactChangedEmail({ firstName: customer.first_name, channel: row.channel, masked }) });
      });
    },

    /** The timer fired: a change still pending expires; one that ended meanwhile keeps its status. */
    async expireContactChange(target: ContactChangeTarget): Promise<ContactChangeStatus> {
      await change(db, target).where({ status: 'PENDING_VERIFICATION' }).update({ status: 'EXPIRED', updated_at: db.fn.now() });
      const row = await change(db, target).first<{ status: ContactChangeStatus } | undefined>('status');
      return row?.status ?? 'EXPIRED';
    },
  };
}

async function emailTaken(db: Knex, tenantId: string, customerId: string, email: string): Promise<boolean> {
  const other = await db('customers').where({ tenant_id: tenantId }).whereNot({ id: customerId }).whereRaw('lower(email) = lower(?)', [email]).first('id');
  return other !== undefined;
}
