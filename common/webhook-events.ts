/**
 * The catalogue of events a tenant can subscribe to, one zod schema per event type and version. Receivers get
 * the envelope below, signed per Standard Webhooks; `id` is stable across retries and redeliveries, so a receiver
 * dedupes on it (it is also the `webhook-id` header). Payloads carry ids and states only, never personal data.
 *
 * A new field in a payload is a compatible change; renaming or removing one is a new `version` of the type.
 */
import { z } from 'zod';
import { DOCUMENT_DECISIONS } from './documents';
import { LIFECYCLE_STATUSES } from './lifecycle';
import { CUSTOMER_TYPES, KYB_STATUSES } from './statuses';

const customerRef = {
  customerId: z.string(),
  customerType: z.enum(CUSTOMER_TYPES),
};

/** Each event type's current version and the schema of its `data`. */
export const WEBHOOK_EVENT_CATALOGUE = {
  'customer.status_changed': {
    version: 1,
    description: "The customer's status moved (any flow status: PENDING_*, KYC_*, MANUAL_REVIEW, ACTIVE, BLOCKED …).",
    data: z.object({
      ...customerRef,
      status: z.string(),
      previousStatus: z.string().nullable(),
      lifecycleStatus: z.enum(LIFECYCLE_STATUSES),
    }),
  },
  'customer.requirements_changed': {
    version: 1,
    description: 'What is due, being checked, or failed for an onboarding customer changed.',
    data: z.object({
      ...customerRef,
      currentlyDue: z.array(z.string()),
      pendingVerification: z.array(z.string()),
      errors: z.array(z.object({ requirement: z.string(), reason: z.string() })),
    }),
  },
  'customer.activated': {
    version: 1,
    description: 'The customer became ACTIVE.',
    data: z.object(customerRef),
  },
  'customer.expired': {
    version: 1,
    description: 'The onboarding made no progress before its deadline and ended EXPIRED.',
    data: z.object(customerRef),
  },
  'kyc.completed': {
    version: 1,
    description: "An individual's KYC reached an outcome: APPROVED, REJECTED, or MANUAL_REVIEW (staff will decide).",
    data: z.object({ ...customerRef, outcome: z.enum(['APPROVED', 'REJECTED', 'MANUAL_REVIEW']) }),
  },
  'kyb.completed': {
    version: 1,
    description: "An organization's KYB reached an outcome: APPROVED, REJECTED, or MANUAL_REVIEW (staff will decide).",
    data: z.object({ ...customerRef, outcome: z.enum(KYB_STATUSES).extract(['APPROVED', 'REJECTED', 'MANUAL_REVIEW']) }),
  },
  'document.reviewed': {
    version: 1,
    description: "Staff reviewed a customer's document: ACCEPTED, REJECTED, or REUPLOAD_REQUESTED.",
    data: z.object({ ...customerRef, documentId: z.string(), documentType: z.string(), outcome: z.enum(DOCUMENT_DECISIONS) }),
  },
  'customer.profile_updated': {
    version: 1,
    description: "An ACTIVE customer's profile changed; the names of the fields that changed, never their values.",
    data: z.object({ ...customerRef, changedFields: z.array(z.string()) }),
  },
  'customer.contact_changed': {
    version: 1,
    description: "An ACTIVE customer's verified new e-mail address or phone number replaced the old one; the channel only, never the value.",
    data: z.object({ ...customerRef, channel: z.enum(['EMAIL', 'PHONE']) }),
  },
  'webhook.test': {
    version: 1,
    description: 'Sent on request to check an endpoint; nothing happened to any customer.',
    data: z.object({ subscriptionId: z.string() }),
  },
} as const satisfies Record<string, { version: number; description: string; data: z.ZodType }>;

export type WebhookEventType = keyof typeof WEBHOOK_EVENT_CATALOGUE;
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENT_CATALOGUE) as [WebhookEventType, ...WebhookEventType[]];
export type WebhookEventData<T extends WebhookEventType> = z.output<(typeof WEBHOOK_EVENT_CATALOGUE)[T]['data']>;

/** What a receiver gets as the request body. */
export const webhookEnvelopeSchema = z.object({
  id: z.string(),
  type: z.enum(WEBHOOK_EVENT_TYPES),
  version: z.number().int(),
  /** When the change happened (ISO 8601), not when this attempt was sent. */
  timestamp: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookEnvelope = z.output<typeof webhookEnvelopeSchema>;

/** An event as its emitter states it; the outbox assigns the id, the version and the order. */
export interface WebhookEventInput<T extends WebhookEventType = WebhookEventType> {
  tenantId: string;
  type: T;
  /** Ordering key: events with the same subject reach each subscription in the order they occurred. */
  subjectId: string | null;
  data: WebhookEventData<T>;
}
