/**
 * A customer's preferences: read (the defaults until they set any), changed field by field with a history row in
 * the same transaction, and the history read newest first. A CLOSED customer's preferences are neither read nor
 * changed (409); their history stays readable, as the record of what was.
 */
import type { Knex } from '../../common/db';
import { ConflictError, CustomerStatusError, NotFoundError, ValidationError, type FieldIssue } from '../http/errors';
import type { PreferencesChange } from './schemas';
import { historyPage, marketingConsentInForce, MARKETING_CHANNELS, readPreferences, writePreferences, type PreferenceValues } from './store';

interface CustomerState {
  status: string;
  phone: string | null;
}

/** The customer row, locked when asked; another tenant's customer is as missing as one that never existed. */
export async function customerState(trx: Knex | Knex.Transaction, tenantId: string, customerId: string, lock = false): Promise<CustomerState> {
  const query = trx('customers').where({ tenant_id: tenantId, id: customerId });
  const row = await (lock ? query.forUpdate() : query).first<CustomerState | undefined>('status', 'phone');
  if (!row) throw new NotFoundError('Customer not found');
  return row;
}

function refuseClosed(customer: CustomerState): void {
  if (customer.status === 'CLOSED') throw new CustomerStatusError("A CLOSED customer's preferences cannot be read or changed", customer.status);
}

/** SMS, and marketing by SMS or phone, need a number to reach: named per field, all at once. */
function phoneIssues(after: PreferenceValues, change: PreferencesChange, phone: string | null): FieldIssue[] {
  if (phone) return [];
  const issues: FieldIssue[] = [];
  if (change.notification_channels?.includes('SMS')) issues.push({ field: 'notification_channels', message: 'SMS needs a phone number on file' });
  for (const channel of ['sms', 'phone'] as const) {
    if (change.marketing?.[channel] && after.marketing[channel]) issues.push({ field: `marketing.${channel}`, message: 'Needs a phone number on file' });
  }
  return issues;
}

export function createPreferencesService(db: Knex) {
  return {
    async get(tenantId: string, customerId: string) {
      refuseClosed(await customerState(db, tenantId, customerId));
      return readPreferences(db, tenantId, customerId);
    },

    /**
     * Applies the fields given. Turning a marketing channel on needs the MARKETING consent in force: without it the
     * answer is 409 and the customer gives the consent first (POST …/consents/MARKETING), which records its version,
     * IP address and user agent as any consent does.
     */
    async update(tenantId: string, customerId: string, change: PreferencesChange, actor: string) {
      return db.transaction(async (trx) => {
        const customer = await customerState(trx, tenantId, customerId, true);
        refuseClosed(customer);
        const before = await readPreferences(trx, tenantId, customerId, true);
        const after: PreferenceValues = {
          language: change.language ?? before.language,
          marketing: { ...before.marketing, ...change.marketing },
          notification_channels: change.notification_channels ?? before.notification_channels,
        };
        const issues = phoneIssues(after, change, customer.phone);
        if (issues.length) throw new ValidationError(issues);
        const turnedOn = MARKETING_CHANNELS.filter((channel) => after.marketing[channel] && !before.marketing[channel]);
        if (turnedOn.length && !(await marketingConsentInForce(trx, tenantId, customerId))) {
          throw new ConflictError(
            `Marketing by ${turnedOn.join(', ')} needs the customer's MARKETING consent; give it first with POST /api/v2.1/customer/${customerId}/consents/MARKETING`,
          );
        }
        return writePreferences(trx, { tenantId, customerId, before, after, actor });
      });
    },

    async history(tenantId: string, customerId: string, query: { cursor?: string; limit: number }) {
      await customerState(db, tenantId, customerId);
      const rows = await historyPage(db, tenantId, customerId, { before: query.cursor === undefined ? undefined : Number(query.cursor), limit: query.limit + 1 });
      const shown = rows.slice(0, query.limit);
      return {
        data: shown.map((row) => {
          const split = row.actor.indexOf(':');
          return {
            changes: row.changes,
            actor: { type: row.actor.slice(0, split) as 'tenant' | 'customer' | 'staff' | 'platform', id: row.actor.slice(split + 1) },
            reason: row.reason,
            changed_at: row.created_at.toISOString(),
          };
        }),
        // One row past the page says whether another page exists: a full last page ends with null, not an empty page.
        next_cursor: rows.length > query.limit ? String(shown.at(-1)!.id) : null,
      };
    },
  };
}

export type PreferencesService = ReturnType<typeof createPreferencesService>;
