/**
 * The tenant-facing events a customer's status and requirements emit (the catalogue: common/webhook-events.ts).
 * Derived here, from the facts the status writer holds inside its transaction, so every writer (workflows,
 * tenant, compliance) emits the same events for the same change. Ids and states only, never personal data.
 */
import type { Knex } from '../common/db';
import { lifecycleOf, type Requirements } from '../common/lifecycle';
import type { CustomerType } from '../common/statuses';
import type { WebhookEventInput } from '../common/webhook-events';
import { recordEvents } from '../api/webhooks/emit';

export interface CustomerRef {
  tenantId: string;
  customerId: string;
  customerType: CustomerType;
}

/** An individual's statuses that are a KYC outcome, and the outcome each one reports. */
const KYC_OUTCOME_OF: Readonly<Record<string, 'APPROVED' | 'REJECTED' | 'MANUAL_REVIEW'>> = {
  KYC_APPROVED: 'APPROVED',
  MANUAL_REVIEW: 'MANUAL_REVIEW',
  REJECTED: 'REJECTED',
};
/** REJECTED is a KYC outcome only when KYC (or its manual review) decided it. */
const KYC_DECIDES_FROM: ReadonlySet<string> = new Set(['KYC_IN_PROGRESS', 'MANUAL_REVIEW']);

/** customer.status_changed, then what it implies: activated, expired, an individual's KYC outcome. */
export function statusEvents(ref: CustomerRef, status: string, previousStatus: string | null): WebhookEventInput[] {
  const { tenantId, customerId, customerType } = ref;
  const subject = { tenantId, subjectId: customerId };
  const events: WebhookEventInput[] = [
    {
      ...subject,
      type: 'customer.status_changed',
      data: { customerId, customerType, status, previousStatus, lifecycleStatus: lifecycleOf(status) },
    },
  ];
  if (status === 'ACTIVE') events.push({ ...subject, type: 'customer.activated', data: { customerId, customerType } });
  if (status === 'EXPIRED') events.push({ ...subject, type: 'customer.expired', data: { customerId, customerType } });
  const outcome = KYC_OUTCOME_OF[status];
  if (customerType === 'INDIVIDUAL' && outcome && (status !== 'REJECTED' || KYC_DECIDES_FROM.has(previousStatus ?? ''))) {
    events.push({ ...subject, type: 'kyc.completed', data: { customerId, customerType, outcome } });
  }
  return events;
}

/** customer.requirements_changed for these requirements (ids and states only). */
function requirementsChanged(ref: CustomerRef, requirements: Requirements): WebhookEventInput<'customer.requirements_changed'> {
  const { tenantId, customerId, customerType } = ref;
  const data = {
    customerId,
    customerType,
    currentlyDue: [...requirements.currentlyDue],
    pendingVerification: [...requirements.pendingVerification],
    errors: requirements.errors.map(({ requirement, reason }) => ({ requirement, reason })),
  };
  return { tenantId, subjectId: customerId, type: 'customer.requirements_changed', data };
}

/**
 * customer.requirements_changed, unless the last one recorded for this customer already says the same: so a
 * retried write records nothing again, and a flow that publishes unchanged requirements emits nothing. The caller
 * holds the customer's row lock, so two writers cannot both find "different" and record the same change twice.
 */
export async function requirementsEvent(trx: Knex.Transaction, ref: CustomerRef, requirements: Requirements): Promise<WebhookEventInput[]> {
  const event = requirementsChanged(ref, requirements);
  const last = await trx('webhook_events')
    .where({ tenant_id: ref.tenantId, subject_id: ref.customerId, type: 'customer.requirements_changed' })
    .orderBy('seq', 'desc')
    .first<{ data: Requirements } | undefined>('data');
  if (last && sameRequirements(last.data, event.data)) return [];
  return [event];
}

function sameRequirements(a: Requirements, b: Requirements): boolean {
  const key = (r: Requirements) => JSON.stringify([r.currentlyDue, r.pendingVerification, r.errors.map((e) => [e.requirement, e.reason])]);
  return key(a) === key(b);
}

/**
 * A new customer's events, in the transaction that inserted its row: its first status, and its first
 * requirements. Called only when that insert created the row (a retry that finds the row records nothing), so
 * no earlier requirements event can exist for this customer (ids are fresh and never reused, customer rows are
 * never deleted, events name only existing customers or, in the sandbox, made-up `…_sandbox_…` ids) and none is
 * read to compare with.
 */
export async function recordRegistrationEvents(trx: Knex.Transaction, ref: CustomerRef, status: string, requirements?: Requirements): Promise<string[]> {
  const events: WebhookEventInput[] = statusEvents(ref, status, null);
  if (requirements) events.push(requirementsChanged(ref, requirements));
  return recordEvents(trx, events);
}
