/**
 * The one writer of `customer_preferences` and `customer_preference_changes`: a change and its history row are
 * written together, inside the caller's transaction, or not at all. A customer without a row has the defaults
 * (`defaultsFor`), which the first change materialises.
 */
import type { Knex } from '../../common/db';
import { consentsInForce } from '../../activities/consents';

export const NOTIFICATION_CHANNELS = ['EMAIL', 'SMS', 'PUSH'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
export const MARKETING_CHANNELS = ['email', 'sms', 'phone'] as const;
export type MarketingChannel = (typeof MARKETING_CHANNELS)[number];

export interface Preferences {
  language: string;
  marketing: Record<MarketingChannel, boolean>;
  notification_channels: NotificationChannel[];
  /** When the customer's preferences last changed; null while they are the defaults. */
  updated_at: string | null;
}

export type PreferenceValues = Omit<Preferences, 'updated_at'>;

/** One field that moved: `language`, `marketing.email` …, `notification_channels`. */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface HistoryRow {
  id: string;
  changes: FieldChange[];
  actor: string;
  reason: string | null;
  created_at: Date;
}

interface PreferencesRow {
  language: string;
  marketing_email: boolean;
  marketing_sms: boolean;
  marketing_phone: boolean;
  notification_channels: NotificationChannel[];
  updated_at: Date;
}

export const DEFAULT_LANGUAGE = 'en';

/** Whether the customer's MARKETING consent is in force: the registration flag, or an acceptance not withdrawn. */
export async function marketingConsentInForce(trx: Knex | Knex.Transaction, tenantId: string, customerId: string): Promise<boolean> {
  const customer = await trx('customers').where({ tenant_id: tenantId, id: customerId }).first<{ marketing_consent: boolean } | undefined>('marketing_consent');
  if (customer?.marketing_consent) return true;
  return (await consentsInForce(trx, tenantId, customerId, 'MARKETING')).length > 0;
}

/**
 * What a customer who never set preferences has: English, notifications by e-mail, and marketing by e-mail exactly
 * when they consented to marketing (the registration flag or a MARKETING consent); SMS and phone marketing are opted
 * into one by one.
 */
export async function defaultsFor(trx: Knex | Knex.Transaction, tenantId: string, customerId: string): Promise<PreferenceValues> {
  const consented = await marketingConsentInForce(trx, tenantId, customerId);
  return { language: DEFAULT_LANGUAGE, marketing: { email: consented, sms: false, phone: false }, notification_channels: ['EMAIL'] };
}

/** The stored preferences, else the defaults. `lock` holds the row (when there is one) for a change. */
export async function readPreferences(trx: Knex | Knex.Transaction, tenantId: string, customerId: string, lock = false): Promise<Preferences> {
  const query = trx('customer_preferences').where({ tenant_id: tenantId, customer_id: customerId });
  const row = await (lock ? query.forUpdate() : query).first<PreferencesRow | undefined>();
  if (!row) return { ...(await defaultsFor(trx, tenantId, customerId)), updated_at: null };
  return {
    language: row.language,
    marketing: { email: row.marketing_email, sms: row.marketing_sms, phone: row.marketing_phone },
    notification_channels: row.notification_channels,
    updated_at: row.updated_at.toISOString(),
  };
}

/** The fields that differ between two sets of preferences, in a stable order. */
export function diff(before: PreferenceValues, after: PreferenceValues): FieldChange[] {
  const changes: FieldChange[] = [];
  if (before.language !== after.language) changes.push({ field: 'language', from: before.language, to: after.language });
  for (const channel of MARKETING_CHANNELS) {
    if (before.marketing[channel] !== after.marketing[channel]) {
      changes.push({ field: `marketing.${channel}`, from: before.marketing[channel], to: after.marketing[channel] });
    }
  }
  if (before.notification_channels.join() !== after.notification_channels.join()) {
    changes.push({ field: 'notification_channels', from: before.notification_channels, to: after.notification_channels });
  }
  return changes;
}

/**
 * Stores `after` and appends its history row, inside the caller's transaction (which should hold the customer row
 * or the preferences row). Nothing that did not move is a change: no write, no history row, the same answer.
 */
export async function writePreferences(
  trx: Knex.Transaction,
  { tenantId, customerId, before, after, actor, reason }: { tenantId: string; customerId: string; before: Preferences; after: PreferenceValues; actor: string; reason?: string },
): Promise<Preferences> {
  const changes = diff(before, after);
  if (changes.length === 0) return before;
  const values = {
    language: after.language,
    marketing_email: after.marketing.email,
    marketing_sms: after.marketing.sms,
    marketing_phone: after.marketing.phone,
    notification_channels: after.notification_channels,
    updated_at: trx.fn.now(),
  };
  const [row] = await trx('customer_preferences')
    .insert({ tenant_id: tenantId, customer_id: customerId, ...values })
    .onConflict(['tenant_id', 'customer_id'])
    .merge(values)
    .returning<Array<{ updated_at: Date }>>(['updated_at']);
  await trx('customer_preference_changes').insert({ tenant_id: tenantId, customer_id: customerId, changes: JSON.stringify(changes), actor, reason: reason ?? null });
  return { ...after, updated_at: row!.updated_at.toISOString() };
}

/** Newest first, `limit` rows older than the `before` id. */
export function historyPage(db: Knex, tenantId: string, customerId: string, { before, limit }: { before?: number; limit: number }): Promise<HistoryRow[]> {
  const query = db('customer_preference_changes').where({ tenant_id: tenantId, customer_id: customerId });
  if (before !== undefined) query.where('id', '<', before);
  return query.orderBy('id', 'desc').limit(limit).select('id', 'changes', 'actor', 'reason', 'created_at');
}
