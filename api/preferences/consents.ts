/**
 * Consents after the onboarding: given again (or for the first time) by an active customer, and withdrawn by any
 * customer. A withdrawal and its effect are one transaction: the consent row marked (never deleted), and
 *  - MARKETING, at any time: every marketing preference off, with a preference history row, and
 *    customers.marketing_consent false;
 *  - a consent the tenant requires (`requiredConsents`): refused while the customer is onboarding (the onboarding
 *    still needs it); afterwards the tenant's `requiredConsentWithdrawal` decides: REFUSE (409, nothing recorded),
 *    SUSPEND (default) or CLOSE, through the status owner, which records the change's history and webhook events.
 * A customer the setting's status cannot reach from where they are (already SUSPENDED, BLOCKED, or ended) keeps
 * their status; the withdrawal is still recorded.
 */
import { recordConsent, typesInForce, withdrawConsent, type ConsentRow } from '../../activities/consents';
import { writeStatusChange } from '../../activities/status';
import type { Knex } from '../../common/db';
import type { ConsentGiven } from '../../common/onboarding-contract';
import { CONSENT_TYPES, DEFAULT_POLICY, type ConsentType } from '../../common/onboarding-policy';
import { STAFF_TRANSITIONS } from '../customers/staff-status';
import { ConflictError, CustomerStatusError, NotFoundError } from '../http/errors';
import type { TenantSettingsService } from '../tenancy/tenant-settings';
import type { WebhookWake } from '../webhooks/outbox';
import { readPreferences, writePreferences } from './store';

/** After activation the onboarding workflow has ended: consents are the API's to record. */
const LIVE_STATUSES: ReadonlySet<string> = new Set(['ACTIVE', 'SUSPENDED', 'BLOCKED']);
/** Ended without (or after) a live account: nothing is onboarding any more. */
const ENDED_STATUSES: ReadonlySet<string> = new Set(['REJECTED', 'EXPIRED', 'CLOSED']);

export const REQUIRED_CONSENT_WITHDRAWAL = ['REFUSE', 'SUSPEND', 'CLOSE'] as const;
export type RequiredConsentWithdrawal = (typeof REQUIRED_CONSENT_WITHDRAWAL)[number];
const TARGET: Record<Exclude<RequiredConsentWithdrawal, 'REFUSE'>, string> = { SUSPEND: 'SUSPENDED', CLOSE: 'CLOSED' };

export interface ConsentView {
  type: ConsentType;
  version: string;
  acceptedAt: string;
  withdrawnAt: string | null;
  withdrawnBy: string | null;
  withdrawalReason: string | null;
}

export const consentView = (row: ConsentRow): ConsentView => ({
  type: row.type,
  version: row.version,
  acceptedAt: row.accepted_at.toISOString(),
  withdrawnAt: row.withdrawn_at?.toISOString() ?? null,
  withdrawnBy: row.withdrawn_by,
  withdrawalReason: row.withdrawal_reason,
});

interface LockedCustomer {
  status: string;
  blocked_by: string | null;
}

export function createConsentChanges({ db, tenantSettings, webhookWake }: { db: Knex; tenantSettings: TenantSettingsService; webhookWake: WebhookWake }) {
  async function lockCustomer(trx: Knex.Transaction, tenantId: string, customerId: string): Promise<LockedCustomer> {
    const row = await trx('customers').where({ tenant_id: tenantId, id: customerId }).forUpdate().first<LockedCustomer | undefined>('status', 'blocked_by');
    if (!row) throw new NotFoundError('Customer not found');
    return row;
  }

  return {
    /** Whether a consent given now is the API's to record (true) or the running onboarding's (false). */
    isAfterOnboarding: (status: string) => LIVE_STATUSES.has(status),

    /** Records a consent an active customer gives, and answers the types in force (the onboarding snapshot's `consents`). */
    async give(tenantId: string, customerId: string, consent: ConsentGiven): Promise<{ status: string; consents: ConsentType[] }> {
      return db.transaction(async (trx) => {
        const { status } = await lockCustomer(trx, tenantId, customerId);
        await recordConsent(trx, { tenantId, customerId, consent });
        const inForce = new Set(await typesInForce(trx, tenantId, customerId));
        return { status, consents: CONSENT_TYPES.filter((type) => inForce.has(type)) };
      });
    },

    async withdraw(tenantId: string, customerId: string, type: ConsentType, actor: string, reason?: string): Promise<ConsentView & { customerStatus: string }> {
      const settings = await tenantSettings.get(tenantId);
      const required = type !== 'MARKETING' && (settings.requiredConsents ?? DEFAULT_POLICY.requiredConsents).includes(type);
      const effect: RequiredConsentWithdrawal = settings.requiredConsentWithdrawal ?? 'SUSPEND';
      const { view, subscriptionIds } = await db.transaction(async (trx) => {
        const customer = await lockCustomer(trx, tenantId, customerId);
        const onboarding = !LIVE_STATUSES.has(customer.status) && !ENDED_STATUSES.has(customer.status);
        if (required && onboarding) {
          throw new CustomerStatusError(`The onboarding still needs the ${type} consent: it cannot be withdrawn while the customer is ${customer.status}`, customer.status);
        }
        if (required && effect === 'REFUSE') {
          throw new ConflictError(`The tenant's requiredConsentWithdrawal setting is REFUSE: a required consent (${type}) cannot be withdrawn; nothing was recorded`);
        }
        const before = type === 'MARKETING' ? await readPreferences(trx, tenantId, customerId, true) : undefined;
        const withdrawn = await withdrawConsent(trx, { tenantId, customerId, type, actor, reason });
        if (!withdrawn) throw new ConflictError(`No ${type} consent is in force: there is nothing to withdraw`);
        if (before) {
          const after = { ...before, marketing: { email: false, sms: false, phone: false } };
          await writePreferences(trx, { tenantId, customerId, before, after, actor, reason: `CONSENT_WITHDRAWN:${type}` });
        }
        let customerStatus = customer.status;
        let subscriptionIds: string[] = [];
        if (required && effect !== 'REFUSE') {
          const target = TARGET[effect];
          // Only where the tenant's own staff could move the customer: never out of a compliance block.
          if ((STAFF_TRANSITIONS[customer.status] ?? []).includes(target) && customer.blocked_by !== 'COMPLIANCE') {
            ({ subscriptionIds } = await writeStatusChange(trx, { tenantId, customerId, status: target, reason: `CONSENT_WITHDRAWN:${type}`, actor }));
            customerStatus = target;
          }
        }
        return { view: { ...consentView(withdrawn), customerStatus }, subscriptionIds };
      });
      await webhookWake(tenantId, subscriptionIds);
      return view;
    },
  };
}

export type ConsentChanges = ReturnType<typeof createConsentChanges>;
