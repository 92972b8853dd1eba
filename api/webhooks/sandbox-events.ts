/**
 * Synthetic events for sandbox testing (never mounted in production): any catalogue type, recorded through the
 * outbox like a real one, so a tenant's receiver sees exactly what it will see live — envelope, signature, retries —
 * without driving a customer through onboarding. The data is valid for the type's schema; it names the tenant's own
 * customer when one is given, else a made-up id that says it is one (`cust_sandbox_…`, `org_sandbox_…`).
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from '../../common/db';
import type { CustomerType } from '../../common/statuses';
import type { WebhookEventData, WebhookEventInput, WebhookEventType } from '../../common/webhook-events';
import { recordEvent, type WebhookWake } from './outbox';

/** The customer an event is about. */
interface Subject {
  customerId: string;
  customerType: CustomerType;
}

/** Plausible data for each type, built from the subject. */
const SAMPLES: { [T in WebhookEventType]: (subject: Subject) => WebhookEventData<T> } = {
  'customer.status_changed': (s) => ({
    ...s,
    status: s.customerType === 'ORGANIZATION' ? 'MANUAL_REVIEW' : 'KYC_IN_PROGRESS',
    previousStatus: s.customerType === 'ORGANIZATION' ? 'ONBOARDING' : 'PENDING_KYC',
    lifecycleStatus: 'ONBOARDING',
  }),
  'customer.requirements_changed': (s) => ({
    ...s,
    currentlyDue: [],
    pendingVerification: [s.customerType === 'ORGANIZATION' ? 'KYB' : 'KYC'],
    errors: [],
  }),
  'customer.activated': (s) => s,
  'customer.expired': (s) => s,
  'kyc.completed': (s) => ({ ...s, outcome: 'APPROVED' }),
  'kyb.completed': (s) => ({ ...s, outcome: 'APPROVED' }),
  'document.reviewed': (s) => ({ ...s, documentId: `doc_sandbox_${randomBytes(6).toString('hex')}`, documentType: 'PASSPORT', outcome: 'ACCEPTED' }),
  'customer.profile_updated': (s) => ({ ...s, changedFields: ['basic_info.first_name', 'address.city'] }),
  'customer.contact_changed': (s) => ({ ...s, channel: 'EMAIL' }),
  'webhook.test': () => ({ subscriptionId: 'whsub_sandbox' }),
};

/** Events about an organization by nature; the others default to an individual. */
const ORGANIZATION_TYPES: ReadonlySet<WebhookEventType> = new Set(['kyb.completed']);

export interface SandboxEventDeps {
  db: Knex;
  wake: WebhookWake;
  /** The tenant's customer's type (404 when it is not the tenant's). */
  customerType(tenantId: string, customerId: string): Promise<CustomerType>;
}

export function createSandboxEvents({ db, wake, customerType }: SandboxEventDeps) {
  return {
    async trigger(tenantId: string, type: WebhookEventType, customerId?: string) {
      const subject: Subject = customerId
        ? { customerId, customerType: await customerType(tenantId, customerId) }
        : madeUpSubject(ORGANIZATION_TYPES.has(type) ? 'ORGANIZATION' : 'INDIVIDUAL');
      const event = { tenantId, type, subjectId: type === 'webhook.test' ? null : subject.customerId, data: SAMPLES[type](subject) } as WebhookEventInput;
      const recorded = await db.transaction((trx) => recordEvent(trx, event));
      await wake(tenantId, recorded.subscriptionIds);
      return { eventId: recorded.eventId, type, subscriptionIds: recorded.subscriptionIds };
    },
  };
}

function madeUpSubject(customerType: CustomerType): Subject {
  const prefix = customerType === 'ORGANIZATION' ? 'org' : 'cust';
  return { customerId: `${prefix}_sandbox_${randomBytes(8).toString('hex')}`, customerType };
}

export type SandboxEvents = ReturnType<typeof createSandboxEvents>;
